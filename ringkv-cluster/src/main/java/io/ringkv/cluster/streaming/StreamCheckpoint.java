package io.ringkv.cluster.streaming;

import io.ringkv.cluster.node.DurableFile;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code data/STREAMING}: what a join or decommission has already moved, so that after a crash of
 * this node it resumes range by range rather than from scratch. Text, one line each:
 * <pre>
 * done FROM TO PEER        a transfer streamed and verified (tokens as 32 hex digits)
 * at FROM TO PEER AFTER    a transfer in progress has everything up to token AFTER (one line
 *                          for each transfer in flight: several run in parallel)
 * </pre>
 * Written whole with {@link DurableFile} after every transfer and every few pages. Thread-safe. A file that
 * does not parse is ignored with a warning: streaming again is only slower (merges are idempotent).
 */
final class StreamCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(StreamCheckpoint.class);
    static final String NAME = "STREAMING";

    private final Path directory;
    private final Set<String> done = new LinkedHashSet<>();
    /** Transfers in progress: how far each has got. */
    private final Map<String, Token> at = new LinkedHashMap<>();

    private StreamCheckpoint(Path directory) {
        this.directory = directory;
    }

    static StreamCheckpoint load(Path directory) {
        StreamCheckpoint checkpoint = new StreamCheckpoint(directory);
        try {
            for (String line : Files.readAllLines(directory.resolve(NAME), StandardCharsets.UTF_8)) {
                String[] f = line.strip().split(" ");
                if (f.length == 4 && f[0].equals("done")) {
                    checkpoint.done.add(f[1] + " " + f[2] + " " + f[3]);
                } else if (f.length == 5 && f[0].equals("at")) {
                    checkpoint.at.put(f[1] + " " + f[2] + " " + f[3], Token.parse(f[4]));
                } else if (!line.isBlank()) {
                    throw new IllegalArgumentException("unexpected line \"" + line + "\"");
                }
            }
        } catch (NoSuchFileException e) {
            return checkpoint;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring {} ({}): the ranges it listed are streamed again", directory.resolve(NAME), e.getMessage());
            return new StreamCheckpoint(directory);
        }
        return checkpoint;
    }

    static String id(TokenRange range, String peer) {
        return range.fromExclusive() + " " + range.toInclusive() + " " + peer;
    }

    synchronized boolean isDone(String transfer) {
        return done.contains(transfer);
    }

    /** Where to resume {@code transfer}: after this token, or from the start of its range. */
    synchronized Optional<Token> resumeAfter(String transfer) {
        return Optional.ofNullable(at.get(transfer));
    }

    synchronized void progress(String transfer, Token after) {
        at.put(transfer, after);
        save();
    }

    synchronized void done(String transfer) {
        done.add(transfer);
        at.remove(transfer);
        save();
    }

    /** The change is over: the file goes. */
    void clear() {
        try {
            Files.deleteIfExists(directory.resolve(NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save() {
        StringBuilder text = new StringBuilder();
        done.forEach(t -> text.append("done ").append(t).append('\n'));
        at.forEach((transfer, after) -> text.append("at ").append(transfer).append(' ').append(after).append('\n'));
        try {
            DurableFile.replace(directory, NAME, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory.resolve(NAME), e);
        }
    }
}
