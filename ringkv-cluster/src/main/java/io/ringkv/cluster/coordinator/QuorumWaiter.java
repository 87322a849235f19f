package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.time.Scheduler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Counts replica answers towards a quorum (Dynamo §4.5: R or W of N) and decides the outcome:
 * {@code required} successes, or every answer in without reaching it, or the deadline. Answers
 * may arrive on any thread; nothing here blocks, the outcome is a future.
 *
 * <p>Success is decided the moment the quorum is reached, with the count at that moment (a put
 * answers with W acknowledgements though later ones keep arriving in the background). Failure
 * waits for the answers still outstanding, within the deadline, even when the quorum is already
 * out of reach: the client is told how many replicas did acknowledge, and a write that landed on
 * some replicas says so. This costs nothing when the missing replicas are refused at once, and
 * at most the deadline when they are silent, which the failure would have waited for anyway.
 */
final class QuorumWaiter {

    /**
     * The outcome: whether the quorum was met, and how many answers were successes when it was
     * decided, {@code hints} of them hints stored by fallbacks for replicas (a sloppy quorum's).
     */
    record Tally(boolean met, int successes, int hints) {
    }

    private final int required;
    private final CompletableFuture<Tally> decided = new CompletableFuture<>();
    private int successes;
    private int hints;
    private int outstanding;

    /**
     * @param required successes needed
     * @param expected answers that will come (each reported once as a success or a failure)
     */
    QuorumWaiter(int required, int expected) {
        this.required = required;
        this.outstanding = expected;
        decideIfKnown();
    }

    synchronized void succeeded() {
        successes++;
        outstanding--;
        decideIfKnown();
    }

    /** A fallback stored a hint for a replica, durably: a success under a sloppy quorum. */
    synchronized void hintStored() {
        hints++;
        succeeded();
    }

    synchronized void failed() {
        outstanding--;
        decideIfKnown();
    }

    /**
     * One more answer will come (a hint sent for a replica that failed or is silent). Call it
     * before reporting the failure that caused it, so the waiter never decides in between.
     */
    synchronized void expectOneMore() {
        outstanding++;
    }

    /** A replica said the request itself is wrong: no point waiting for the others. */
    void reject(KvException reason) {
        decided.completeExceptionally(reason);
    }

    private synchronized void decideIfKnown() {
        if (successes >= required || outstanding <= 0) {
            decided.complete(new Tally(successes >= required, successes, hints));
        }
    }

    boolean isDecided() {
        return decided.isDone();
    }

    /**
     * The outcome, decided by {@code deadline} at the latest: then it is the count so far, not
     * met. Completes exceptionally with a {@link #reject} reason. Call once per waiter: the
     * deadline's timer runs on {@code timer} and is cancelled as soon as the outcome is known.
     */
    CompletableFuture<Tally> outcome(Deadline deadline, Scheduler timer) {
        if (!decided.isDone()) {
            try {
                Scheduler.Scheduled atDeadline = timer.schedule(deadline.remainingMillis(), this::timedOut);
                decided.whenComplete((tally, failure) -> atDeadline.cancel());
            } catch (RejectedExecutionException closing) {
                // The node is closing and its timer with it. Every answer still comes: replicas'
                // requests carry their own deadline, and the transport fails them when it closes.
            }
        }
        return decided;
    }

    private synchronized void timedOut() {
        decided.complete(new Tally(false, successes, hints));
    }
}
