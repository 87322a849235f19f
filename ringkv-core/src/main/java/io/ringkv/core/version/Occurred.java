package io.ringkv.core.version;

/** How two vector clocks relate in the happened-before order (Lamport 1978). */
public enum Occurred {
    /** This clock happened before the other: the other descends from it. */
    BEFORE,
    /** This clock happened after the other: it descends from the other. */
    AFTER,
    /** Both clocks record exactly the same events. */
    EQUAL,
    /** Neither descends from the other: the versions were written concurrently and conflict. */
    CONCURRENT
}
