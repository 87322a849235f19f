package io.ringkv.it;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for conditions that other processes make true (a node serving, gossip
 * converging). Every wait has a limit and fails with a message saying what was awaited and what
 * was last seen; nothing here waits for time itself to pass.
 */
final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** Polls {@code condition} until it holds; an exception from it counts as "not yet". */
    static void until(Duration limit, String what, BooleanSupplier condition) {
        until(limit, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * Polls {@code probe} until it returns a value and returns that value. An exception counts as
     * "not yet"; the last one is reported if the limit passes.
     */
    static <T> T until(Duration limit, String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException lastFailure = null;
        while (true) {
            try {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (RuntimeException e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError error = new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what
                        + (lastFailure == null ? "" : "; last failure: " + lastFailure));
                if (lastFailure != null) {
                    error.initCause(lastFailure);
                }
                throw error;
            }
            sleep(POLL_MILLIS);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
