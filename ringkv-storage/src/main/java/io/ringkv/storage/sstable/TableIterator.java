package io.ringkv.storage.sstable;

import io.ringkv.storage.format.InternalEntry;
import java.util.NoSuchElementException;

/**
 * Walks data blocks in file order. Blocks come from the cache when present, but blocks read
 * from disk are not inserted, so a compaction or a range transfer does not evict the blocks
 * point reads depend on.
 */
final class TableIterator implements SSTableIterator {
    private final SSTableReader reader;
    private final int blockCount;
    private int nextBlock;
    private DataBlock block;
    private int blockNumber;
    private int position;
    /** When set, the first block is entered at the first entry whose token is above this one. */
    private boolean seekPending;
    private final long seekTokenHi;
    private final long seekTokenLo;
    private boolean closed;

    TableIterator(SSTableReader reader, int blockCount, int firstBlock, boolean seek, long seekTokenHi, long seekTokenLo) {
        this.reader = reader;
        this.blockCount = blockCount;
        this.nextBlock = firstBlock;
        this.seekPending = seek;
        this.seekTokenHi = seekTokenHi;
        this.seekTokenLo = seekTokenLo;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        for (int guard = 0; block == null || position >= block.entryCount(); guard++) {
            if (nextBlock >= blockCount || guard > blockCount) {
                return false;
            }
            int b = nextBlock++;
            block = reader.loadBlock(b, false);
            blockNumber = b;
            position = 0;
            if (seekPending) {
                seekPending = false;
                position = reader.seekInBlock(b, block, seekTokenHi, seekTokenLo);
            }
        }
        return true;
    }

    @Override
    public InternalEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "iterator is closed" : "no more entries in " + reader.path());
        }
        InternalEntry e = reader.decodeEntry(blockNumber, block, position);
        position++; // only past an entry that decoded
        return e;
    }

    @Override
    public void close() {
        closed = true;
        block = null;
    }
}
