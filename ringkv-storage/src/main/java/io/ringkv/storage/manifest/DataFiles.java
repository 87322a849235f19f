package io.ringkv.storage.manifest;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.wal.CommitLogFormat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;

import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names of the files in a data directory, and the clean-up at open that makes the directory
 * match the manifest: a crash can leave a half-written table (.tmp), a finished table that no
 * manifest references yet (flush or compaction output) or inputs that a compaction replaced,
 * and flushed commit log segments not yet deleted. None of them hold data the manifest needs.
 */
public final class DataFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DataFiles.class);
    private static final String TABLE_PREFIX = "table-";
    private static final String TABLE_SUFFIX = ".sst";

    private DataFiles() {
    }

    public static Path tablePath(Path dir, long tableId) {
        String digits = Long.toString(tableId);
        return dir.resolve(TABLE_PREFIX + "0".repeat(Math.max(0, 16 - digits.length())) + digits + TABLE_SUFFIX);
    }

    /** The table id named by {@code fileName}, or -1. */
    public static long parseTableId(String fileName) {
        if (!fileName.startsWith(TABLE_PREFIX) || !fileName.endsWith(TABLE_SUFFIX)) {
            return -1;
        }
        String digits = fileName.substring(TABLE_PREFIX.length(), fileName.length() - TABLE_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    /**
     * Deletes files the manifest does not need. Refuses (CorruptionException) if a table the
     * manifest lists is missing, since its data would be silently gone.
     */
    public static void cleanOrphans(Path dir, Manifest m) {
        Set<Long> live = new HashSet<>(m.tableIds());
        Set<Long> seen = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                long tableId = parseTableId(name);
                long segmentId = CommitLogFormat.parseSegmentId(name);
                boolean orphan;
                if (name.endsWith(".tmp")) {
                    orphan = true;
                } else if (tableId >= 0) {
                    orphan = !live.contains(tableId);
                    seen.add(tableId);
                } else {
                    orphan = segmentId >= 0 && segmentId < m.logReplayStartSegment();
                }
                if (orphan) {
                    LOG.info("deleting {}: not referenced by the manifest", f);
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new StorageIoException("cannot clean " + dir, e);
        }
        for (long id : m.tableIds()) {
            if (!seen.contains(id)) {
                Path p = tablePath(dir, id);
                throw new CorruptionException(p, 0, "table listed in the manifest is missing");
            }
        }
    }

    /** Whether {@code dir} holds any table or segment (so a missing manifest means damage, not a new engine). */
    public static boolean hasDataFiles(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if ((parseTableId(name) >= 0 || CommitLogFormat.parseSegmentId(name) >= 0)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new StorageIoException("cannot list " + dir, e);
        }
    }

}
