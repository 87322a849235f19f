package io.ringkv.storage;

/**
 * What {@link StorageEngine#getIfInMemory} found: the answer of a get ({@code value}, null for an
 * absent key), or {@link #NEEDS_DISK} when answering would read a block from a file.
 */
public record MemoryRead(boolean answered, byte[] value) {
    public static final MemoryRead NEEDS_DISK = new MemoryRead(false, null);

    public static MemoryRead of(byte[] value) {
        return new MemoryRead(true, value);
    }
}
