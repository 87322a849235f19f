package io.ringkv.storage.manifest;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.wal.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads and atomically replaces the MANIFEST file. A change writes MANIFEST.tmp, fsyncs it,
 * renames it over MANIFEST and fsyncs the directory, so after any crash the file is either the
 * old or the new manifest, whole (rename(2) is atomic; the directory fsync makes it durable).
 * The manifest is tiny (8 bytes per table), so rewriting it beats the complexity of an edit log.
 *
 * <p>Layout (big-endian): u32 magic "RKMF" | u16 version 1 | u16 reserved | u64 nextTableId |
 * u64 logReplayStartSegment | u64 flushedSeq | u32 tableCount | tableCount x u64 tableId
 * (oldest first) | u32 crc32c of all preceding bytes.
 */
public final class ManifestFile {
    public static final String NAME = "MANIFEST";
    static final int MAGIC = 0x524B4D46;
    static final short VERSION = 1;
    private static final int FIXED_BYTES = 4 + 2 + 2 + 8 + 8 + 8 + 4;

    private ManifestFile() {
    }

    /** The manifest in {@code dir}, or null if there is none. */
    public static Manifest read(Path dir) {
        Path path = dir.resolve(NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageIoException("cannot read " + path, e);
        }
        if (bytes.length < FIXED_BYTES + 4) {
            throw new CorruptionException(path, 0, "manifest is truncated (" + bytes.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
            throw new CorruptionException(path, bytes.length - 4, "manifest checksum mismatch");
        }
        if (b.getInt() != MAGIC) {
            throw new CorruptionException(path, 0, "not a ringkv manifest (bad magic)");
        }
        short version = b.getShort();
        if (version != VERSION) {
            throw new CorruptionException(path, 4, "unsupported manifest version " + version);
        }
        b.getShort();
        long nextTableId = b.getLong();
        long replayStart = b.getLong();
        long flushedSeq = b.getLong();
        int count = b.getInt();
        if (count < 0 || (long) count * 8 != bytes.length - 4 - FIXED_BYTES) {
            throw new CorruptionException(path, FIXED_BYTES - 4, "manifest table count " + count + " does not match its size");
        }
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(b.getLong());
        }
        try {
            return new Manifest(nextTableId, replayStart, flushedSeq, ids);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(path, 0, e.getMessage());
        }
    }

    /** Atomically replaces the manifest in {@code dir}; durable on return. */
    public static void write(Path dir, Manifest m) {
        Path tmp = dir.resolve(NAME + ".tmp");
        Path path = dir.resolve(NAME);
        ByteBuffer b = ByteBuffer.allocate(FIXED_BYTES + 8 * m.tableIds().size() + 4);
        b.putInt(MAGIC).putShort(VERSION).putShort((short) 0);
        b.putLong(m.nextTableId()).putLong(m.logReplayStartSegment()).putLong(m.flushedSeq());
        b.putInt(m.tableIds().size());
        for (long id : m.tableIds()) {
            b.putLong(id);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        b.flip();
        boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-write
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new StorageIoException("cannot write " + tmp, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Directories.fsync(dir);
        } catch (IOException e) {
            throw new StorageIoException("cannot install " + path, e);
        }
    }
}
