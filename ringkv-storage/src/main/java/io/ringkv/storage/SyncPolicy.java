package io.ringkv.storage;

/**
 * When the commit log is fsynced, and so what an acknowledged write survives. See
 * docs/design/commit-log.md for the exact promises; in short:
 * <ul>
 *   <li>{@link Always}: acknowledged only after an fsync that covers it (concurrent writers
 *       share one fsync: group commit). Survives process crash and power loss.</li>
 *   <li>{@link Batch}: like Always, but the syncer waits up to {@code windowMillis} to gather
 *       more writers into one fsync. Same promise; higher latency, fewer fsyncs.</li>
 *   <li>{@link Periodic}: acknowledged once handed to the OS, fsynced every
 *       {@code intervalMillis}. Survives a process crash; power loss can lose the last
 *       interval of acknowledged writes.</li>
 * </ul>
 */
public sealed interface SyncPolicy {
    record Always() implements SyncPolicy {
    }

    record Batch(long windowMillis) implements SyncPolicy {
        public Batch {
            if (windowMillis < 0) {
                throw new IllegalArgumentException("batch window must not be negative, was " + windowMillis);
            }
        }
    }

    record Periodic(long intervalMillis) implements SyncPolicy {
        public Periodic {
            if (intervalMillis <= 0) {
                throw new IllegalArgumentException("periodic sync interval must be positive, was " + intervalMillis);
            }
        }
    }

    static SyncPolicy always() {
        return new Always();
    }

    static SyncPolicy batch(long windowMillis) {
        return new Batch(windowMillis);
    }

    static SyncPolicy periodic(long intervalMillis) {
        return new Periodic(intervalMillis);
    }
}
