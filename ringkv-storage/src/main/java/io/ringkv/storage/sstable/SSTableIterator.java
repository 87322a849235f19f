package io.ringkv.storage.sstable;

import io.ringkv.storage.format.InternalEntry;
import java.util.Iterator;

/**
 * Entries of one table in engine order. {@code next} throws
 * {@link io.ringkv.storage.CorruptionException} on damaged bytes rather than return them.
 * Not thread-safe; close it when done.
 */
public interface SSTableIterator extends Iterator<InternalEntry>, AutoCloseable {
    @Override
    void close();
}
