package io.ringkv.cluster.membership;

import java.util.Objects;

/**
 * "I have not seen {@code suspect}'s heartbeat advance past (generation, heartbeat) for
 * suspectAfterMillis." Carried in the suspector's own gossiped state. The (generation,
 * heartbeat) reference lets a reader ignore suspicions older than what it has seen itself: a
 * node that heard a newer heartbeat knows the suspect was alive after the suspicion was formed.
 */
public record Suspicion(NodeId suspect, long generation, long heartbeat) implements Comparable<Suspicion> {
    public Suspicion {
        Objects.requireNonNull(suspect, "suspect");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be >= 1, was " + generation);
        }
        if (heartbeat < 0) {
            throw new IllegalArgumentException("heartbeat must not be negative, was " + heartbeat);
        }
    }

    /** True if this suspicion refers to the given heartbeat or a later one of the same node. */
    public boolean coversAtLeast(long knownGeneration, long knownHeartbeat) {
        return generation > knownGeneration
                || (generation == knownGeneration && heartbeat >= knownHeartbeat);
    }

    @Override
    public int compareTo(Suspicion other) {
        int byId = suspect.compareTo(other.suspect);
        if (byId != 0) {
            return byId;
        }
        int byGeneration = Long.compare(generation, other.generation);
        return byGeneration != 0 ? byGeneration : Long.compare(heartbeat, other.heartbeat);
    }
}
