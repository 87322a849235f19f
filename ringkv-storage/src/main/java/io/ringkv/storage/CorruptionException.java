package io.ringkv.storage;

import java.nio.file.Path;

/**
 * Stored bytes failed a checksum or a structural check. The data is never served; the message
 * names the file and the byte offset so an operator can act (restore, repair from replicas).
 */
public final class CorruptionException extends StorageException {
    private final Path file;
    private final long offset;

    public CorruptionException(Path file, long offset, String what) {
        super("corruption in " + file + " at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
