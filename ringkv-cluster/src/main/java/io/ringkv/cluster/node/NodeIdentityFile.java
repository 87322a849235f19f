package io.ringkv.cluster.node;

import io.ringkv.core.ring.Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and atomically replaces {@value #FILE_NAME} in the node's data directory. The format is
 * text, so an operator can read it, and checksummed, so damage is detected rather than
 * believed (docs/design/membership-join.md, "The identity file"):
 *
 * <pre>
 * ringkv-node-identity 1
 * node node1
 * generation 1718000000000
 * tokens 2
 * 0123456789abcdef0123456789abcdef
 * 89abcdef0123456789abcdef01234567
 * crc32c 1a2b3c4d
 * </pre>
 *
 * The CRC32C covers every byte before the {@code crc32c} line. A change writes
 * {@value #FILE_NAME}.tmp, fsyncs it, renames it over the file and fsyncs the directory, so
 * after a crash the file is the old or the new one, whole.
 */
public final class NodeIdentityFile {
    public static final String FILE_NAME = "NODE_IDENTITY";
    static final String MAGIC = "ringkv-node-identity 1";
    /** 4096 tokens of 33 bytes plus a few short lines fit easily; anything larger is not ours. */
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final int MAX_TOKENS = 4096;

    private NodeIdentityFile() {
    }

    public static Path path(Path dataDirectory) {
        return dataDirectory.resolve(FILE_NAME);
    }

    /**
     * The identity this start runs with: the saved one with a generation strictly above the saved
     * generation (and at least {@code wallClockMillis}, so a lost file still gives a higher
     * generation than the last run's in practice), or a new identity without tokens. It is written
     * before returning, so the generation is never reused even if this start crashes.
     */
    public static NodeIdentity startup(Path dataDirectory, String nodeId, long wallClockMillis) {
        Optional<NodeIdentity> saved = read(dataDirectory);
        if (saved.isPresent() && !saved.get().nodeId().equals(nodeId)) {
            throw new NodeIdentityException(path(dataDirectory) + ": this data directory belongs to node '"
                    + saved.get().nodeId() + "', but this node is configured as '" + nodeId
                    + "'; use that node id, or another data directory");
        }
        long floor = Math.max(1, wallClockMillis);
        NodeIdentity identity = saved
                .map(s -> s.withGeneration(Math.max(Math.addExact(s.generation(), 1), floor)))
                .orElseGet(() -> new NodeIdentity(nodeId, floor, List.of()));
        write(dataDirectory, identity);
        return identity;
    }

    /** The saved identity, or empty if there is no file. */
    public static Optional<NodeIdentity> read(Path dataDirectory) {
        Path file = path(dataDirectory);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw corrupt(file, "larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new NodeIdentityException(file + ": cannot read the node identity file: " + e.getMessage(), e);
        }
        return Optional.of(parse(file, bytes));
    }

    /** Replaces the file with {@code identity}, durably (tmp, fsync, rename, directory fsync). */
    public static void write(Path dataDirectory, NodeIdentity identity) {
        Path file = path(dataDirectory);
        try {
            DurableFile.replace(dataDirectory, FILE_NAME, encode(identity));
        } catch (IOException e) {
            throw new NodeIdentityException(file + ": cannot write the node identity file: " + e.getMessage(), e);
        }
    }

    static byte[] encode(NodeIdentity identity) {
        StringBuilder body = new StringBuilder(64 + 33 * identity.tokens().size());
        body.append(MAGIC).append('\n');
        body.append("node ").append(identity.nodeId()).append('\n');
        body.append("generation ").append(identity.generation()).append('\n');
        body.append("tokens ").append(identity.tokens().size()).append('\n');
        for (Token t : identity.tokens()) {
            body.append(t).append('\n');
        }
        byte[] content = body.toString().getBytes(StandardCharsets.UTF_8);
        String trailer = "crc32c " + DurableFile.crc32cHex(content, content.length) + "\n";
        byte[] out = new byte[content.length + trailer.length()];
        System.arraycopy(content, 0, out, 0, content.length);
        System.arraycopy(trailer.getBytes(StandardCharsets.US_ASCII), 0, out, content.length, trailer.length());
        return out;
    }

    static NodeIdentity parse(Path file, byte[] bytes) {
        int crcLineStart = lastLineStart(bytes);
        if (crcLineStart < 0) {
            throw corrupt(file, "truncated: no checksum line at the end");
        }
        String crcLine = new String(bytes, crcLineStart, bytes.length - crcLineStart - 1, StandardCharsets.US_ASCII);
        if (!crcLine.matches("crc32c [0-9a-f]{8}")) {
            throw corrupt(file, "truncated or damaged: the last line is not 'crc32c <8 hex digits>'");
        }
        String computed = DurableFile.crc32cHex(bytes, crcLineStart);
        if (!crcLine.substring(7).equals(computed)) {
            throw corrupt(file, "checksum mismatch (stored " + crcLine.substring(7) + ", computed " + computed + ")");
        }
        String[] lines = new String(bytes, 0, crcLineStart, StandardCharsets.UTF_8).split("\n", -1);
        // The checksum matched, so anything wrong below is a file we did not write (or a bug).
        int n = lines.length - 1; // the text ends with '\n': the last element is empty
        if (n < 4 || !lines[0].equals(MAGIC)) {
            throw corrupt(file, "not a version 1 node identity file (first line: '" + (n > 0 ? lines[0] : "") + "')");
        }
        String nodeId = field(file, lines[1], "node");
        long generation = number(file, field(file, lines[2], "generation"), "generation");
        long count = number(file, field(file, lines[3], "tokens"), "tokens");
        if (count > MAX_TOKENS || count != n - 4) {
            throw corrupt(file, "says " + count + " tokens but holds " + (n - 4));
        }
        List<Token> tokens = new ArrayList<>((int) count);
        for (int i = 4; i < n; i++) {
            try {
                tokens.add(Token.parse(lines[i]));
            } catch (IllegalArgumentException e) {
                throw corrupt(file, "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        try {
            return new NodeIdentity(nodeId, generation, tokens);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    private static String field(Path file, String line, String name) {
        if (!line.startsWith(name + " ") || line.length() == name.length() + 1) {
            throw corrupt(file, "expected a '" + name + " ...' line, got '" + line + "'");
        }
        return line.substring(name.length() + 1);
    }

    private static long number(Path file, String text, String name) {
        try {
            long v = Long.parseLong(text);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw corrupt(file, name + " is not a non-negative whole number: '" + text + "'");
        }
    }

    /** Start of the last '\n'-terminated line, or -1 if the file does not end with one. */
    private static int lastLineStart(byte[] bytes) {
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            return -1;
        }
        int i = bytes.length - 2;
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    private static NodeIdentityException corrupt(Path file, String problem) {
        return new NodeIdentityException(file + ": the node identity file is damaged: " + problem
                + ". It holds this node's generation and ring tokens; restore it from a backup, or delete it"
                + " to make the node join as a new member with new tokens");
    }
}
