package io.ringkv.cluster.admin;

/**
 * Where one repair run stands (anti-entropy over this node's ranges).
 *
 * @param id              this node's number for the run, from 1
 * @param trigger         "manual" (admin repair) or "background" (the anti-entropy schedule)
 * @param scope           what it covers: "all ranges" or the token range asked for
 * @param state           RUNNING, DONE or FAILED
 * @param rangesTotal     ranges to compare with their other replicas
 * @param rangesDone      ranges compared (and repaired where they differed)
 * @param rangesDiffering ranges found different on at least one replica
 * @param keysExchanged   keys sent to or taken from another replica
 * @param bytesExchanged  bytes of anti-entropy messages sent and received (trees and keys)
 * @param startedAtMillis wall-clock start
 * @param elapsedMillis   time taken so far (or in all, once finished)
 * @param error           why it failed, or null
 */
public record RepairProgress(long id, String trigger, String scope, State state, int rangesTotal, int rangesDone,
                             int rangesDiffering, long keysExchanged, long bytesExchanged, long startedAtMillis,
                             long elapsedMillis, String error) {

    /** The life of a repair run. */
    public enum State { RUNNING, DONE, FAILED }

    public boolean finished() {
        return state != State.RUNNING;
    }
}
