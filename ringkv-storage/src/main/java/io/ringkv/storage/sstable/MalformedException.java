package io.ringkv.storage.sstable;

/**
 * Bytes that passed their checksum but still make no structural sense, raised deep inside a
 * decoder that does not know the file. The reader catches it and rethrows it as a
 * {@link io.ringkv.storage.CorruptionException} naming the file and the region's offset.
 */
final class MalformedException extends RuntimeException {
    MalformedException(String message) {
        super(message, null, false, false);
    }
}
