package io.ringkv.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes this process has caused to be written to storage, as Linux counts them
 * ({@code write_bytes} of /proc/self/io, charged when a page is dirtied). The same yardstick for
 * every engine, including one that does not count its own writes (RocksDB with statistics off).
 */
final class ProcessIo {
    private static final Path IO = Path.of("/proc/self/io");

    private ProcessIo() {
    }

    /** Bytes written so far, or -1 where the kernel does not say (not Linux). */
    static long bytesWritten() {
        try {
            for (String line : Files.readAllLines(IO)) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).strip());
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
