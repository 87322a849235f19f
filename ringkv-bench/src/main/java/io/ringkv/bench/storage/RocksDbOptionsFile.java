package io.ringkv.bench.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The options file RocksDB writes into a database directory (the newest {@code OPTIONS-*}), kept
 * with a run's results so a reader can check every setting the comparison claims; for both the
 * Java binding's databases and db_bench's.
 */
final class RocksDbOptionsFile {
    private RocksDbOptionsFile() {
    }

    /** Copies {@code dbDir}'s newest options file to {@code resultsDir}/{@code prefix}-OPTIONS-...; no results dir, no copy. */
    static void keep(Path dbDir, Path resultsDir, String prefix, PrintStream out) {
        if (resultsDir == null) {
            return;
        }
        try (Stream<Path> files = Files.list(dbDir)) {
            Path newest = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
                    .max(Comparator.naturalOrder()).orElse(null);
            if (newest != null) {
                Files.createDirectories(resultsDir);
                Files.copy(newest, resultsDir.resolve(prefix + "-" + newest.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            out.println("warning: cannot keep RocksDB's options file of " + dbDir + ": " + e);
        }
    }
}
