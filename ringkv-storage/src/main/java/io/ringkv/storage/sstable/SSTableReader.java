package io.ringkv.storage.sstable;

import io.ringkv.storage.Compression;
import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads one table (docs/design/storage-format.md). Open verifies the footer and loads the
 * metadata, index and bloom filter on heap after checking their checksums; data blocks are
 * read on demand with positional reads, verified, and shared through the {@link BlockCache}.
 *
 * <p>A point lookup probes the bloom filter, searches the index for the single block that
 * could hold the key, and searches that block: at most one data block read, and no allocation
 * on a cache hit beyond the returned entry.
 *
 * <p>Thread-safe: any number of threads may call {@link #get} and iterate concurrently until
 * {@link #close}. Every damaged byte is reported as a {@link CorruptionException} naming this
 * file and the offset of the damaged region; damaged data is never returned.
 */
public final class SSTableReader implements AutoCloseable {
    private final TableFile file;
    private final long tableId;
    private final BlockCache cache;
    private final ReadStats stats;
    private final SSTableMetadata metadata;
    private final BlockIndex index;
    private final BloomFilter bloom;
    private final CachedBlocks cachedBlocks;
    private volatile boolean closed;

    private SSTableReader(TableFile file, long tableId, BlockCache cache, ReadStats stats,
                          SSTableMetadata metadata, BlockIndex index, BloomFilter bloom) {
        this.file = file;
        this.tableId = tableId;
        this.cache = cache;
        this.stats = stats;
        this.metadata = metadata;
        this.index = index;
        this.bloom = bloom;
        this.cachedBlocks = new CachedBlocks(tableId, index.blockCount());
    }

    /**
     * Opens a table, verifying its footer, metadata, index and bloom filter.
     *
     * @param tableId the engine's unique id of this table; keys its blocks in {@code cache}
     * @throws CorruptionException if the file is truncated or any checked region is damaged
     */
    public static SSTableReader open(Path path, long tableId, BlockCache cache, ReadStats stats) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(stats, "stats");
        TableFile file = TableFile.open(path);
        try {
            long size = file.size();
            if (size < Footer.BYTES) {
                throw new CorruptionException(path, 0, "file of " + size + " bytes is shorter than the "
                        + Footer.BYTES + "-byte footer: truncated");
            }
            long footerOffset = size - Footer.BYTES;
            Footer footer;
            try {
                footer = Footer.decode(file.read(footerOffset, Footer.BYTES));
                footer.checkLayout(size);
            } catch (MalformedException e) {
                throw new CorruptionException(path, footerOffset, "footer: " + e.getMessage());
            }
            byte[] metaBlock = readVerified(file, footer.metaOffset(), footer.metaStoredLength(), "metadata");
            byte[] indexBlock = readVerified(file, footer.indexOffset(), footer.indexStoredLength(), "index");
            byte[] bloomBlock = readVerified(file, footer.bloomOffset(), footer.bloomStoredLength(), "bloom filter");
            SSTableMetadata metadata;
            BlockIndex index;
            BloomFilter bloom;
            long at = footer.metaOffset();
            try {
                metadata = MetadataBlock.decode(metaBlock, footer.metaStoredLength(), size);
                at = footer.indexOffset();
                index = BlockIndex.parse(indexBlock, footer.indexStoredLength(), footer.indexOffset());
                at = footer.bloomOffset();
                bloom = BloomFilter.parse(bloomBlock, footer.bloomStoredLength());
                at = footer.metaOffset();
                crossCheck(metadata, index, footer);
            } catch (MalformedException e) {
                throw new CorruptionException(path, at, e.getMessage());
            }
            return new SSTableReader(file, tableId, cache, stats, metadata, index, bloom);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static byte[] readVerified(TableFile file, long offset, int storedLength, String region) {
        byte[] framed = file.read(offset, storedLength + BlockFraming.TRAILER_BYTES);
        Compression c = BlockFraming.verify(file.path(), offset, framed, region);
        if (c != Compression.NONE) {
            throw new CorruptionException(file.path(), offset, region + " block claims compression " + c);
        }
        return framed;
    }

    private static void crossCheck(SSTableMetadata m, BlockIndex index, Footer footer) {
        if (m.dataBytes() != footer.indexOffset()) {
            throw new MalformedException("metadata says " + m.dataBytes() + " data bytes, footer says " + footer.indexOffset());
        }
        if ((m.entryCount() == 0) != (index.blockCount() == 0) || m.entryCount() < index.blockCount()) {
            throw new MalformedException("metadata says " + m.entryCount() + " entries but the index has "
                    + index.blockCount() + " blocks");
        }
        int last = index.blockCount() - 1;
        if (last >= 0 && (!Arrays.equals(m.lastToken(), index.lastToken(last)) || !Arrays.equals(m.lastKey(), index.lastKey(last)))) {
            throw new MalformedException("metadata last key differs from the index's last key");
        }
    }

    public long tableId() {
        return tableId;
    }

    public Path path() {
        return file.path();
    }

    public SSTableMetadata metadata() {
        return metadata;
    }

    /** Data blocks in this table. */
    public int blockCount() {
        return index.blockCount();
    }

    /** False means the table certainly does not hold the key. Counts in {@link ReadStats}. */
    public boolean mightContain(byte[] token, byte[] key) {
        requireToken(token);
        boolean maybe = bloom.mightContain(token);
        stats.recordBloomCheck(!maybe);
        return maybe;
    }

    /**
     * What {@link #getCached} returns when the answer needs a block read from the file. Compared
     * by identity; never a real entry.
     */
    public static final InternalEntry NEEDS_READ =
            new InternalEntry(new byte[KeyOrder.TOKEN_BYTES], new byte[0], -1, EntryKind.DELETE, 0, new byte[0]);

    /**
     * The entry for {@code key} (whose ring token is {@code token}), or {@code null} if this
     * table has none. The returned entry's token and key are the arrays passed in.
     */
    public InternalEntry get(byte[] token, byte[] key) {
        return find(token, key, false);
    }

    /**
     * {@link #get} from memory only (bloom filter, index, block cache): {@link #NEEDS_READ} when
     * the block that may hold the key is not cached. For threads that must not wait for the disk.
     */
    public InternalEntry getCached(byte[] token, byte[] key) {
        return find(token, key, true);
    }

    private InternalEntry find(byte[] token, byte[] key, boolean cachedOnly) {
        requireToken(token);
        Objects.requireNonNull(key, "key");
        requireOpen();
        boolean maybe = bloom.mightContain(token);
        stats.recordBloomCheck(!maybe);
        if (!maybe) {
            return null;
        }
        long hi = BigEndian.getLong(token, 0);
        long lo = BigEndian.getLong(token, 8);
        int b = index.findBlock(hi, lo, key);
        if (b < index.blockCount()) {
            DataBlock block = cachedOnly ? cache.peek(cachedBlocks, b) : loadBlock(b, true);
            if (block == null) {
                return NEEDS_READ;
            }
            try {
                int i = block.seek(hi, lo, key);
                if (i < block.entryCount() && block.compareAt(i, hi, lo, key) == 0) {
                    return block.decode(i, token, key);
                }
            } catch (MalformedException e) {
                throw new CorruptionException(file.path(), index.offset(b), "data block: " + e.getMessage());
            }
        }
        stats.recordBloomFalsePositive();
        return null;
    }

    /** Every entry, in engine order. */
    public SSTableIterator iterator() {
        requireOpen();
        return new TableIterator(this, index.blockCount(), 0, false, 0, 0);
    }

    /** Entries whose token is above {@code fromTokenExclusive}, in order, to the end of the table. */
    public SSTableIterator iteratorFrom(byte[] fromTokenExclusive) {
        requireToken(fromTokenExclusive);
        requireOpen();
        long hi = BigEndian.getLong(fromTokenExclusive, 0);
        long lo = BigEndian.getLong(fromTokenExclusive, 8);
        return new TableIterator(this, index.blockCount(), index.findBlockAfterToken(hi, lo), true, hi, lo);
    }

    /** Closes the file and drops this table's blocks from the cache. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.close();
        } finally {
            cache.release(cachedBlocks);
        }
    }

    /**
     * Block {@code b}, from the cache or verified from disk. A point lookup counts toward the
     * block's frequency and offers a disk read to the cache; a scan does neither.
     */
    DataBlock loadBlock(int b, boolean pointLookup) {
        DataBlock cached = pointLookup ? cache.get(cachedBlocks, b) : cache.getForScan(cachedBlocks, b);
        if (cached != null) {
            return cached;
        }
        requireOpen();
        stats.recordBlockRead(index.storedLength(b) + BlockFraming.TRAILER_BYTES);
        DataBlock block = readBlock(b);
        return pointLookup ? cache.admit(cachedBlocks, b, block) : block;
    }

    /**
     * Puts data blocks into the block cache, in file order, until {@code budgetBytes} of them are
     * cached or the table ends; counts no lookups and no reads. The engine calls it for a table it
     * has just flushed, before reads see the table: the memtable it replaces held the most
     * recently written keys, which are often the next ones read, and without this every first read
     * of them would go to disk (read-your-writes workloads such as sessions and carts, and YCSB's
     * phases, slowed down for some seconds after each flush). A block that cannot be read or fails
     * verification ends the preload; the read that needs it reports the problem.
     *
     * @return how many blocks were cached
     */
    public int preloadBlocks(long budgetBytes) {
        long cachedBytes = 0;
        int b = 0;
        for (; b < index.blockCount() && cachedBytes < budgetBytes; b++) {
            DataBlock block;
            try {
                block = readBlock(b);
            } catch (CorruptionException | StorageIoException e) {
                return b; // an optimisation only: the read that needs this block reports the problem
            }
            cachedBytes += cache.preload(cachedBlocks, b, block).weightBytes();
        }
        return b;
    }

    /** Block {@code b} read from the file and verified (checksum, decompression, layout). */
    private DataBlock readBlock(int b) {
        long offset = index.offset(b);
        int framedLength = index.storedLength(b) + BlockFraming.TRAILER_BYTES;
        byte[] framed = file.read(offset, framedLength);
        Compression compression = BlockFraming.verify(file.path(), offset, framed, "data");
        byte[] content = BlockFraming.content(file.path(), offset, framed, compression);
        DataBlock block;
        try {
            block = DataBlock.parse(content, content.length - BlockFraming.contentSlack(compression));
        } catch (MalformedException e) {
            throw new CorruptionException(file.path(), offset, "data block: " + e.getMessage());
        }
        return block;
    }

    int seekInBlock(int b, DataBlock block, long tokenHi, long tokenLo) {
        try {
            return block.seek(tokenHi, tokenLo, null);
        } catch (MalformedException e) {
            throw new CorruptionException(file.path(), index.offset(b), "data block: " + e.getMessage());
        }
    }

    InternalEntry decodeEntry(int b, DataBlock block, int i) {
        try {
            return block.decode(i, null, null);
        } catch (MalformedException e) {
            throw new CorruptionException(file.path(), index.offset(b), "data block entry " + i + ": " + e.getMessage());
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("table " + file.path() + " is closed");
        }
    }

    private static void requireToken(byte[] token) {
        if (token.length != KeyOrder.TOKEN_BYTES) {
            throw new IllegalArgumentException("token must be " + KeyOrder.TOKEN_BYTES + " bytes, was " + token.length);
        }
    }

    @Override
    public String toString() {
        return "SSTableReader[" + file.path() + ", id=" + tableId + ", " + metadata + "]";
    }
}
