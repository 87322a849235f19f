package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts replica answers towards a quorum (Dynamo §4.5: R or W of N) and lets the coordinator
 * block until the outcome is known: {@code required} successes, or so many failures that the
 * quorum can no longer be reached, or the deadline. Answers may arrive on any thread.
 *
 * <p>The count reported is the one at the moment the outcome was decided: a put answers with the
 * acknowledgements it had when W was reached, though later ones keep arriving in the background.
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
        if (successes >= required || successes + outstanding < required) {
            decided.complete(new Tally(successes >= required, successes));
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
