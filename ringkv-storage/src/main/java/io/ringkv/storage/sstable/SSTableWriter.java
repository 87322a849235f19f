package io.ringkv.storage.sstable;

import io.ringkv.storage.Compression;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Writes one immutable SSTable in the format of docs/design/storage-format.md: data blocks as
 * entries arrive, then index, bloom filter, metadata and footer. Writes go to
 * {@code path + ".tmp"}; {@link #finish} fsyncs, renames atomically and fsyncs the directory,
 * so a table is either complete and durable under its name or absent. Not thread-safe.
 */
public final class SSTableWriter implements AutoCloseable {
    /** Largest key + value accepted, so that any block fits a Java array. */
    static final long MAX_ENTRY_BYTES = 1L << 30;
    private static final int OUTPUT_BUFFER_BYTES = 64 << 10;

    private enum State { OPEN, FINISHED, FAILED, CLOSED }

    private final Path finalPath;
    private final Path tmpPath;
    private final SSTableWriterOptions options;
    private final FileChannel channel;
    private final byte[] output = new byte[OUTPUT_BUFFER_BYTES];
    private int outputLength;
    private long filePosition;
    private final DataBlockBuilder block;
    private byte[] compressScratch = new byte[0];
    private final BlockIndex.Builder index = new BlockIndex.Builder();
    private final BloomFilter bloom;
    private final byte[] trailer = new byte[BlockFraming.TRAILER_BYTES];
    private State state = State.OPEN;

    private InternalEntry first;
    private InternalEntry last;
    private long entryCount;
    private long tombstoneCount;
    private long minSeq = Long.MAX_VALUE;
    private long maxSeq = Long.MIN_VALUE;
    private long minTimestampMillis = Long.MAX_VALUE;
    private long maxTimestampMillis = Long.MIN_VALUE;

    private SSTableWriter(Path finalPath, Path tmpPath, SSTableWriterOptions options, FileChannel channel) {
        this.finalPath = finalPath;
        this.tmpPath = tmpPath;
        this.options = options;
        this.channel = channel;
        this.block = new DataBlockBuilder(options.blockSizeBytes() + options.blockSizeBytes() / 4);
        this.bloom = BloomFilter.create(options.expectedEntries(), options.bloomFalsePositiveRate());
    }

    /** Starts a table that {@link #finish} will publish at {@code finalPath}, which must not exist. */
    public static SSTableWriter create(Path finalPath, SSTableWriterOptions options) {
        Objects.requireNonNull(finalPath, "finalPath");
        Objects.requireNonNull(options, "options");
        if (Files.exists(finalPath)) {
            throw new IllegalStateException("table " + finalPath + " already exists; tables are immutable");
        }
        Path tmp = tmpPathOf(finalPath);
        try {
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new SSTableWriter(finalPath, tmp, options, ch);
        } catch (IOException e) {
            throw new StorageIoException("cannot create " + tmp, e);
        }
    }

    /** Where the table is written before {@link #finish}: {@code finalPath + ".tmp"}. */
    public static Path tmpPathOf(Path finalPath) {
        return finalPath.resolveSibling(finalPath.getFileName() + ".tmp");
    }

    /** Appends an entry; entries must arrive in strictly increasing {@link InternalEntry#ORDER}. */
    public void append(InternalEntry e) {
        Objects.requireNonNull(e, "entry");
        requireOpen();
        if (last != null && InternalEntry.ORDER.compare(last, e) >= 0) {
            HexFormat hex = HexFormat.of();
            throw new IllegalArgumentException("entries must be appended in strictly increasing (token, key) order: "
                    + hex.formatHex(e.token()) + "/" + hex.formatHex(e.key()) + " after "
                    + hex.formatHex(last.token()) + "/" + hex.formatHex(last.key()));
        }
        if ((long) e.key().length + e.value().length > MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException("entry of " + ((long) e.key().length + e.value().length)
                    + " key+value bytes exceeds the " + MAX_ENTRY_BYTES + "-byte limit");
        }
        block.add(e);
        bloom.add(e.token());
        if (first == null) {
            first = e;
        }
        last = e;
        entryCount++;
        if (e.kind() == EntryKind.DELETE) {
            tombstoneCount++;
        }
        minSeq = Math.min(minSeq, e.seq());
        maxSeq = Math.max(maxSeq, e.seq());
        minTimestampMillis = Math.min(minTimestampMillis, e.timestampMillis());
        maxTimestampMillis = Math.max(maxTimestampMillis, e.timestampMillis());
        if (block.currentSizeBytes() >= options.blockSizeBytes()) {
            flushDataBlock();
        }
    }

    /** Entries appended so far. */
    public long entryCount() {
        return entryCount;
    }

    /** Bytes written to the file so far (data blocks), for progress and throttling. */
    public long bytesWritten() {
        return filePosition + outputLength;
    }

    /**
     * Writes index, bloom filter, metadata and footer; fsyncs; renames to the final path; fsyncs
     * the directory. On return the table is durable under its final name.
     */
    public SSTableMetadata finish() {
        requireOpen();
        try {
            if (!block.isEmpty()) {
                flushDataBlock();
            }
            long dataBytes = position();
            byte[] indexBlock = index.finish();
            long indexOffset = writeFramed(indexBlock, indexBlock.length, Compression.NONE.code());
            byte[] bloomBlock = bloom.encoded();
            long bloomOffset = writeFramed(bloomBlock, bloomBlock.length, Compression.NONE.code());
            byte[] empty = new byte[0];
            boolean isEmpty = first == null;
            SSTableMetadata partial = new SSTableMetadata(entryCount, tombstoneCount,
                    isEmpty ? 0 : minSeq, isEmpty ? 0 : maxSeq,
                    isEmpty ? 0 : minTimestampMillis, isEmpty ? 0 : maxTimestampMillis,
                    isEmpty ? empty : first.token().clone(), isEmpty ? empty : first.key().clone(),
                    isEmpty ? empty : last.token().clone(), isEmpty ? empty : last.key().clone(),
                    0, dataBytes);
            byte[] metaBlock = MetadataBlock.encode(partial);
            long metaOffset = writeFramed(metaBlock, metaBlock.length, Compression.NONE.code());
            Footer footer = new Footer(indexOffset, indexBlock.length, bloomOffset, bloomBlock.length,
                    metaOffset, metaBlock.length);
            write(footer.encode(), 0, Footer.BYTES);
            flushOutput();
            long fileSize = filePosition;
            channel.force(true);
            channel.close();
            Files.move(tmpPath, finalPath, StandardCopyOption.ATOMIC_MOVE);
            state = State.FINISHED;
            fsyncDirectory(finalPath.toAbsolutePath().getParent());
            return new SSTableMetadata(partial.entryCount(), partial.tombstoneCount(), partial.minSeq(),
                    partial.maxSeq(), partial.minTimestampMillis(), partial.maxTimestampMillis(),
                    partial.firstToken(), partial.firstKey(), partial.lastToken(), partial.lastKey(),
                    fileSize, dataBytes);
        } catch (IOException e) {
            if (state == State.OPEN) {
                state = State.FAILED;
            }
            throw new StorageIoException("cannot finish table " + finalPath, e);
        } catch (RuntimeException e) {
            if (state == State.OPEN) {
                state = State.FAILED;
            }
            throw e;
        }
    }

    /** Aborts an unfinished table, deleting its temp file; after {@link #finish} does nothing. */
    @Override
    public void close() {
        if (state == State.FINISHED || state == State.CLOSED) {
            state = State.CLOSED;
            return;
        }
        state = State.CLOSED;
        try {
            channel.close();
            Files.deleteIfExists(tmpPath);
        } catch (IOException e) {
            throw new StorageIoException("cannot delete aborted table " + tmpPath, e);
        }
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer for " + finalPath + " is " + state.name().toLowerCase());
        }
    }

    private void flushDataBlock() {
        byte[] content = block.finish();
        int length = block.finishedLength();
        try {
            long offset;
            int storedLength;
            int compressed = -1;
            if (options.compression() == Compression.LZ4) {
                int max = BlockFraming.maxCompressedBytes(length);
                if (compressScratch.length < max) {
                    compressScratch = new byte[max];
                }
                compressed = BlockFraming.compressInto(content, length, compressScratch);
            }
            if (compressed >= 0) {
                offset = writeFramed(compressScratch, compressed, Compression.LZ4.code());
                storedLength = compressed;
            } else {
                offset = writeFramed(content, length, Compression.NONE.code());
                storedLength = length;
            }
            index.add(offset, storedLength, last.token(), last.key());
            block.reset();
        } catch (IOException e) {
            state = State.FAILED;
            throw new StorageIoException("cannot write table " + tmpPath, e);
        }
    }

    /** Writes stored bytes and their trailer; returns the block's offset. */
    private long writeFramed(byte[] stored, int length, byte compressionCode) throws IOException {
        long offset = position();
        BlockFraming.trailer(stored, length, compressionCode, trailer);
        write(stored, 0, length);
        write(trailer, 0, trailer.length);
        return offset;
    }

    private long position() {
        return filePosition + outputLength;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (len > output.length - outputLength) {
            flushOutput();
            if (len >= output.length) {
                writeFully(ByteBuffer.wrap(b, off, len));
                return;
            }
        }
        System.arraycopy(b, off, output, outputLength, len);
        outputLength += len;
    }

    private void flushOutput() throws IOException {
        if (outputLength > 0) {
            writeFully(ByteBuffer.wrap(output, 0, outputLength));
            outputLength = 0;
        }
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        int n = buf.remaining();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        filePosition += n;
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
