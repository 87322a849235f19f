package io.ringkv.cluster.node;

import io.ringkv.core.version.Actors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Which actor this start of the node writes as ({@code docs/design/versioning.md}, "Actors"), kept
 * in {@value #FILE_NAME} in the data directory:
 *
 * <pre>
 * ringkv-actor 1
 * actor node1~3kq8z0m1xa
 * issued 41872
 * stopped
 * crc32c 1a2b3c4d
 * </pre>
 *
 * The {@code stopped} line is written only by a clean stop, after the store closed and made
 * everything durable, together with the highest dot counter issued. A start that finds it resumes
 * that actor above {@code issued} and removes the line at once (durably), so a crash afterwards
 * can never be taken for a clean stop. Any other start - first start, wiped directory, crash,
 * power loss, a damaged or foreign file - takes a new incarnation: only after a clean stop does
 * this node provably hold every version it wrote and know every counter it issued. Resuming
 * keeps the number of actors in clocks down to one per unclean start rather than one per start.
 *
 * <p>Restoring a data directory from a backup taken after a clean stop would look clean: the
 * runbook (docs/design/versioning.md) says to delete this file then, or use
 * {@link #startNewIncarnation}.
 */
public final class ActorFile {
    public static final String FILE_NAME = "ACTOR";
    private static final String MAGIC = "ringkv-actor 1";
    private static final int MAX_FILE_BYTES = 4096;

    /** The actor this start writes as, the highest counter it must stay above, and why. */
    public record Start(String actor, long issued, boolean resumed, String reason) {
    }

    private ActorFile() {
    }

    /** Decides this start's actor and records it as running (no {@code stopped} line), durably. */
    public static Start startup(Path dataDirectory, String nodeId) {
        Start start = resumable(dataDirectory, nodeId);
        write(dataDirectory, start.actor(), start.issued(), false);
        return start;
    }

    /** Forgets any resumable actor: the next start takes a new incarnation (after restoring a backup). */
    public static void startNewIncarnation(Path dataDirectory) {
        try {
            Files.deleteIfExists(dataDirectory.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new NodeIdentityException(dataDirectory.resolve(FILE_NAME) + ": cannot delete: " + e.getMessage(), e);
        }
    }

    /** Records a clean stop of {@code actor} having issued counters up to {@code issued}. */
    public static void markStopped(Path dataDirectory, String actor, long issued) {
        write(dataDirectory, actor, issued, true);
    }

    private static Start resumable(Path dataDirectory, String nodeId) {
        Path file = dataDirectory.resolve(FILE_NAME);
        String fresh = Actors.newIncarnation(nodeId);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return new Start(fresh, 0, false, file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Start(fresh, 0, false, "no " + FILE_NAME + " file (first start or a new data directory)");
        } catch (IOException e) {
            throw new NodeIdentityException(file + ": cannot read: " + e.getMessage(), e);
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        int body = lines.length == 6 ? bytes.length - lines[4].length() - 1 : 0;
        if (lines.length != 6 || !lines[0].equals(MAGIC) || !lines[5].isEmpty()
                || !lines[4].equals("crc32c " + DurableFile.crc32cHex(bytes, body))) {
            return new Start(fresh, 0, false, file + " is damaged");
        }
        if (!lines[3].equals("stopped")) {
            return new Start(fresh, 0, false, "the last run did not stop cleanly");
        }
        String actor = lines[1].startsWith("actor ") ? lines[1].substring(6) : "";
        if (!Actors.nodeOf(actor).equals(nodeId) || !lines[2].startsWith("issued ")) {
            return new Start(fresh, 0, false, file + " names another node or is malformed");
        }
        try {
            return new Start(actor, Long.parseLong(lines[2].substring(7)), true, "the last run stopped cleanly");
        } catch (NumberFormatException e) {
            return new Start(fresh, 0, false, file + " is malformed");
        }
    }

    private static void write(Path dataDirectory, String actor, long issued, boolean stopped) {
        String body = MAGIC + "\nactor " + actor + "\nissued " + issued + "\n" + (stopped ? "stopped" : "running") + "\n";
        try {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String trailer = "crc32c " + DurableFile.crc32cHex(content, content.length) + "\n";
            DurableFile.replace(dataDirectory, FILE_NAME, (body + trailer).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NodeIdentityException(dataDirectory.resolve(FILE_NAME) + ": cannot write: " + e.getMessage(), e);
        }
    }
}
