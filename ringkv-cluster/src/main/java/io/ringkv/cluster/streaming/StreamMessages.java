package io.ringkv.cluster.streaming;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.core.version.ByteReader;
import io.ringkv.core.version.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Codecs of the streaming messages (docs/design/membership.md, "Streaming"), types 0x5220-0x522F:
 *
 * <pre>
 * request := format:u8 (=1) from:u8[16] to:u8[16] body           the range (from, to]
 * reply   := status:u8 body                                       0 OK, 1 FAILED text
 * STREAM_FETCH body  := after:u8[16] maxBytes:varint               entries with token in (after, to], in order
 *              reply := count:varint entry{count} done:u8 crc32c:u32   crc over the entries' bytes
 * RANGE_DIGEST body  := (empty)
 *              reply := keys:varint digest:u64                     XOR of every entry's digest in (from, to]
 * STREAM_PUSH  body  := count:varint entry{count} crc32c:u32
 *              reply := (empty), once every entry is merged and durable
 * entry   := keyLength:varint key siblingsLength:varint siblings   the stored sibling set, as stored
 * </pre>
 * A page's CRC32C catches corruption in transit before anything is merged.
 */
final class StreamMessages {
    static final int STREAM_FETCH = 0x5220;
    static final int RANGE_DIGEST = 0x5221;
    static final int STREAM_PUSH = 0x5222;

    static final int FORMAT = 1;
    static final int OK = 0;
    static final int FAILED = 1;
    private static final int MAX_ITEMS = 1 << 16;
    private static final int MAX_TEXT_BYTES = 1024;

    private StreamMessages() {
    }

    /** One stored key: its sibling set as the store holds it. */
    record Entry(byte[] key, byte[] siblings) {
        long size() {
            return key.length + siblings.length;
        }
    }

    record Fetch(TokenRange range, Token after, int maxBytes) {
    }

    record Page(List<Entry> entries, boolean done) {
    }

    record Digest(long keys, long digest) {
    }

    record Push(TokenRange range, List<Entry> entries) {
    }

    static byte[] fetch(TokenRange range, Token after, int maxBytes) {
        ByteWriter w = header(range, 24);
        w.bytes(after.toBytes());
        w.varLong(maxBytes);
        return w.toByteArray();
    }

    static Fetch decodeFetch(byte[] payload) {
        return decode(payload, "stream fetch", r -> {
            TokenRange range = range(r);
            Token after = token(r, "after");
            int maxBytes = r.varInt("max bytes");
            return new Fetch(range, after, Math.max(1, maxBytes));
        });
    }

    static byte[] page(List<Entry> entries, boolean done) {
        ByteWriter w = new ByteWriter(16 + entries.stream().mapToInt(e -> (int) e.size() + 8).sum());
        w.u8(OK);
        int start = w.size();
        entries(w, entries);
        int end = w.size();
        w.u8(done ? 1 : 0);
        w.u32((int) crc(w.array(), start, end));
        return w.toByteArray();
    }

    static Page decodePage(byte[] reply) {
        return decodeReply(reply, "stream page", r -> {
            int start = r.position();
            List<Entry> entries = entries(r);
            int end = r.position();
            boolean done = switch (r.u8("done")) {
                case 0 -> false;
                case 1 -> true;
                default -> throw r.malformed("done is not 0 or 1");
            };
            checkCrc(r, reply, start, end);
            return new Page(entries, done);
        });
    }

    static byte[] digestRequest(TokenRange range) {
        return header(range, 0).toByteArray();
    }

    static TokenRange decodeDigestRequest(byte[] payload) {
        return decode(payload, "range digest", StreamMessages::range);
    }

    static byte[] digestReply(Digest digest) {
        ByteWriter w = new ByteWriter(20);
        w.u8(OK);
        w.varLong(digest.keys());
        u64(w, digest.digest());
        return w.toByteArray();
    }

    static Digest decodeDigestReply(byte[] reply) {
        return decodeReply(reply, "range digest reply", r -> new Digest(r.varLong("keys"), u64(r)));
    }

    static byte[] push(TokenRange range, List<Entry> entries) {
        ByteWriter w = header(range, 16 + entries.stream().mapToInt(e -> (int) e.size() + 8).sum());
        int start = w.size();
        entries(w, entries);
        int end = w.size();
        w.u32((int) crc(w.array(), start, end));
        return w.toByteArray();
    }

    static Push decodePush(byte[] payload) {
        return decode(payload, "stream push", r -> {
            TokenRange range = range(r);
            int start = r.position();
            List<Entry> entries = entries(r);
            int end = r.position();
            checkCrc(r, payload, start, end);
            return new Push(range, entries);
        });
    }

    static byte[] okReply() {
        return new byte[] {OK};
    }

    static void decodeOkReply(byte[] reply) {
        decodeReply(reply, "stream push reply", r -> Boolean.TRUE);
    }

    static byte[] failedReply(String message) {
        byte[] text = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_TEXT_BYTES) {
            text = Arrays.copyOf(text, MAX_TEXT_BYTES);
        }
        ByteWriter w = new ByteWriter(8 + text.length);
        w.u8(FAILED);
        w.varLong(text.length);
        w.bytes(text);
        return w.toByteArray();
    }

    private static ByteWriter header(TokenRange range, int estimate) {
        ByteWriter w = new ByteWriter(33 + estimate);
        w.u8(FORMAT);
        w.bytes(range.fromExclusive().toBytes());
        w.bytes(range.toInclusive().toBytes());
        return w;
    }

    private static TokenRange range(ByteReader r) {
        return new TokenRange(token(r, "from"), token(r, "to"));
    }

    private static Token token(ByteReader r, String field) {
        return Token.fromBytes(r.bytes(16, field));
    }

    private static void entries(ByteWriter w, List<Entry> entries) {
        w.varLong(entries.size());
        for (Entry e : entries) {
            w.varLong(e.key().length);
            w.bytes(e.key());
            w.varLong(e.siblings().length);
            w.bytes(e.siblings());
        }
    }

    private static List<Entry> entries(ByteReader r) {
        int count = r.count("entries", 2);
        if (count > MAX_ITEMS) {
            throw r.malformed("more than " + MAX_ITEMS + " entries");
        }
        List<Entry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = r.bytes(r.varInt("key length"), "key");
            if (key.length == 0) {
                throw r.malformed("an empty key");
            }
            out.add(new Entry(key, r.bytes(r.varInt("siblings length"), "siblings")));
        }
        return out;
    }

    private static void checkCrc(ByteReader r, byte[] bytes, int start, int end) {
        long expected = Integer.toUnsignedLong(r.u32("crc32c"));
        if (crc(bytes, start, end) != expected) {
            throw r.malformed("the entries' CRC32C does not match: damaged in transit");
        }
    }

    private static long crc(byte[] bytes, int start, int end) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, start, end - start);
        return crc.getValue();
    }

    private static void u64(ByteWriter w, long v) {
        w.u32((int) (v >>> 32));
        w.u32((int) v);
    }

    private static long u64(ByteReader r) {
        long high = Integer.toUnsignedLong(r.u32("digest"));
        return (high << 32) | Integer.toUnsignedLong(r.u32("digest"));
    }

    private static <T> T decode(byte[] payload, String what, Function<ByteReader, T> body) {
        try {
            ByteReader r = new ByteReader(payload, 0, payload.length);
            int format = r.u8("format");
            if (format != FORMAT) {
                throw r.malformed("unknown format " + format);
            }
            T value = body.apply(r);
            r.expectEnd(what);
            return value;
        } catch (IllegalArgumentException e) { // MalformedVersionException is one
            throw new StreamFailedException("malformed " + what + ": " + e.getMessage(), e);
        }
    }

    private static <T> T decodeReply(byte[] reply, String what, Function<ByteReader, T> body) {
        try {
            ByteReader r = new ByteReader(reply, 0, reply.length);
            int status = r.u8("status");
            if (status == FAILED) {
                throw new StreamFailedException("the other node failed: "
                        + new String(r.bytes(r.varInt("text length"), "text"), StandardCharsets.UTF_8), null);
            }
            if (status != OK) {
                throw r.malformed("unknown status " + status);
            }
            T value = body.apply(r);
            r.expectEnd(what);
            return value;
        } catch (IllegalArgumentException e) { // MalformedVersionException is one
            throw new StreamFailedException("malformed " + what + ": " + e.getMessage(), e);
        }
    }
}
