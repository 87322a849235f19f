package io.ringkv.cluster.node;

import io.ringkv.storage.wal.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code data/MEMBERSHIP_CHANGE}: the membership change this node is in the middle of, so that a
 * restart (or a crash) resumes it rather than announcing NORMAL with ranges half received or half
 * handed over: {@code joining} from the moment it claims tokens in a ring that has data until it
 * has streamed every range it will replicate; {@code leaving} from the start of a decommission
 * until it has left; {@code left} after, for good: such a node refuses to start again with this
 * data. Absent: no change in progress. One word, written with {@link DurableFile}.
 */
public final class MembershipChangeFile {
    static final String NAME = "MEMBERSHIP_CHANGE";

    /** A change in progress. */
    public enum Change { JOINING, LEAVING, LEFT }

    private MembershipChangeFile() {
    }

    public static Optional<Change> read(Path dataDirectory) {
        try {
            String text = Files.readString(dataDirectory.resolve(NAME), StandardCharsets.UTF_8).strip();
            return Optional.of(switch (text) {
                case "joining" -> Change.JOINING;
                case "leaving" -> Change.LEAVING;
                case "left" -> Change.LEFT;
                default -> throw new NodeIdentityException(dataDirectory.resolve(NAME) + " holds \"" + text
                        + "\", not joining, leaving or left; if no join or decommission is in progress, delete it");
            });
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDirectory.resolve(NAME), e);
        }
    }

    static void write(Path dataDirectory, Change change) {
        try {
            DurableFile.replace(dataDirectory, NAME, (change.name().toLowerCase() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDirectory.resolve(NAME), e);
        }
    }

    static void clear(Path dataDirectory) {
        try {
            Files.deleteIfExists(dataDirectory.resolve(NAME));
            Directories.fsync(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataDirectory.resolve(NAME), e);
        }
    }
}
