package io.ringkv.cluster.node;

import io.ringkv.storage.wal.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Replaces a small file in a data directory so that after a crash it is the old or the new one,
 * whole: write {@code <name>.tmp}, fsync it, rename it over the file, fsync the directory. The
 * node's identity and actor files are written this way, as text ending in a line
 * {@code crc32c <8 hex digits>} over every byte before it ({@link #crc32cHex}).
 */
public final class DurableFile {
    private DurableFile() {
    }

    /** The CRC32C of the first {@code length} bytes, as the 8 lowercase hex digits of a checksum line. */
    static String crc32cHex(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    public static void replace(Path directory, String name, byte[] bytes) throws IOException {
        Path tmp = directory.resolve(name + ".tmp");
        Files.createDirectories(directory);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Directories.fsync(directory);
    }
}
