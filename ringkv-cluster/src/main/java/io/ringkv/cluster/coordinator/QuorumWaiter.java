package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts replica answers towards a quorum (Dynamo §4.5: R or W of N) and lets the coordinator
 * block until the outcome is known: {@code required} successes, or every answer in without
 * reaching it, or the deadline. Answers may arrive on any thread.
 *
 * <p>Success is reported the moment the quorum is reached, with the count at that moment (a put
 * answers with W acknowledgements though later ones keep arriving in the background). Failure
 * waits for the answers still outstanding, within the deadline, even when the quorum is already
 * out of reach: the client is told how many replicas did acknowledge, and a write that landed on
 * some replicas says so. This costs nothing when the missing replicas are refused at once, and
 * at most the deadline when they are silent, which the failure would have waited for anyway.
 */
final class QuorumWaiter {

    /** The outcome: whether the quorum was met, and how many replicas had answered successfully. */
    record Tally(boolean met, int successes) {
    }

    private final int required;
    private final CompletableFuture<Tally> decided = new CompletableFuture<>();
    private int successes;
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

    synchronized void failed() {
        outstanding--;
        decideIfKnown();
    }

    /** A replica said the request itself is wrong: no point waiting for the others. */
    void reject(KvException reason) {
        decided.completeExceptionally(reason);
    }

    private synchronized void decideIfKnown() {
        if (successes >= required || outstanding <= 0) {
            decided.complete(new Tally(successes >= required, successes));
        }
    }

    /**
     * Blocks until the outcome is known or {@code until} passes, whichever is first; true if it is
     * known. Unlike {@link #await} it decides nothing: waiting can go on afterwards.
     */
    boolean decidedBy(Deadline until) {
        try {
            decided.get(until.remainingNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // rejected: await() rethrows the reason
        }
    }

    /** Blocks until the outcome is known or the deadline passes; rethrows a {@link #reject} reason. */
    Tally await(Deadline deadline) {
        try {
            return decided.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return timedOut();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KvException reason) {
                throw reason;
            }
            throw new IllegalStateException("unexpected quorum failure", e.getCause());
        }
    }

    private Tally timedOut() {
        synchronized (this) {
            decided.complete(new Tally(false, successes));
        }
        try {
            return decided.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KvException reason) {
                throw reason; // rejected at the very moment the deadline passed
            }
            throw e;
        }
    }
}
