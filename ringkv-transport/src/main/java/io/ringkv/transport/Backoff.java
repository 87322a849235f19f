package io.ringkv.transport;

/**
 * Exponential reconnect backoff for one peer: after each failed connect the wait doubles from
 * {@code initialMillis} up to {@code maxMillis}; a successful connect resets it. Decides only;
 * the caller reads the clock and dials. Not thread-safe: its owner synchronizes.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long currentMillis;

    Backoff(long initialMillis, long maxMillis) {
        if (initialMillis < 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("need 0 <= initialMillis <= maxMillis, got " + initialMillis + ", " + maxMillis);
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
    }

    /** Records a failed connect; returns how long to wait before dialing again. */
    long onFailureMillis() {
        currentMillis = currentMillis == 0 ? initialMillis : Math.min(maxMillis, currentMillis * 2);
        return currentMillis;
    }

    void onSuccess() {
        currentMillis = 0;
    }
}
