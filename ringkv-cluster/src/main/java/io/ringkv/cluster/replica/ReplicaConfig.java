package io.ringkv.cluster.replica;

import io.ringkv.core.version.ConflictPolicy;
import java.util.Objects;

/**
 * How a replica keeps concurrent versions.
 *
 * @param conflictPolicy keep siblings, or keep only the newest (last write wins)
 * @param siblingCap     most versions kept per key under {@link ConflictPolicy#SIBLINGS}; the newest win
 * @param capListener    told when the cap drops versions (for a metric and a log line)
 */
public record ReplicaConfig(ConflictPolicy conflictPolicy, int siblingCap, SiblingCapListener capListener) {
    public static final int DEFAULT_SIBLING_CAP = 32;
    public static final int MAX_SIBLING_CAP = 1024;

    public ReplicaConfig {
        Objects.requireNonNull(conflictPolicy, "conflictPolicy");
        Objects.requireNonNull(capListener, "capListener");
        if (siblingCap < 1 || siblingCap > MAX_SIBLING_CAP) {
            throw new IllegalArgumentException("sibling cap must be between 1 and " + MAX_SIBLING_CAP + ", got " + siblingCap);
        }
    }

    public static ReplicaConfig defaults() {
        return new ReplicaConfig(ConflictPolicy.SIBLINGS, DEFAULT_SIBLING_CAP, SiblingCapListener.logging());
    }
}
