package io.ringkv.storage;

/**
 * Combines a key's older value with a newer merge operand, so a write can add to a value
 * without reading it first. The engine applies it lazily: when a read finds operands, when a
 * memtable collapses two writes of one key, and during compaction.
 *
 * <p>It must be associative, because the engine may combine two operands before it knows the
 * base value: {@code apply(k, apply(k, a, b), c) == apply(k, a, apply(k, b, c))}. It must be
 * deterministic and must not throw on bytes it produced itself.
 */
@FunctionalInterface
public interface MergeOperator {
    /**
     * @param key    the key
     * @param older  the older value or operand, or {@code null} when the key has no older value
     * @param newer  the newer operand
     * @return the combined value
     */
    byte[] apply(byte[] key, byte[] older, byte[] newer);
}
