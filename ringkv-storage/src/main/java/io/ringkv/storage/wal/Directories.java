package io.ringkv.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Makes file creations, renames and deletions in a directory durable. */
public final class Directories {
    private Directories() {
    }

    /** fsync of the directory itself, so a new or renamed name survives power loss (Linux, macOS). */
    public static void fsync(Path dir) throws IOException {
        // A channel operation on an interrupted thread fails and closes the channel; this may run
        // on a caller's thread, so clear the flag for the duration and restore it afterwards.
        boolean interrupted = Thread.interrupted();
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open directories; everything else must succeed.
            if (!System.getProperty("os.name", "").toLowerCase().startsWith("windows")) {
                throw e;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
