package io.ringkv.cluster.antientropy;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.core.version.ByteReader;
import io.ringkv.core.version.ByteWriter;
import io.ringkv.core.version.MalformedVersionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Codecs of the anti-entropy messages, byte by byte in docs/design/anti-entropy.md, "Messages".
 * Every request names the range by its bounds and the tree depth; a replica whose ring does not
 * give it exactly that range (or whose trees have another depth) refuses with
 * {@link #RANGE_UNKNOWN} rather than compare different things.
 *
 * <pre>
 * request  := format:u8 (=1) from:u8[16] to:u8[16] depth:u8 body
 * reply    := status:u8 body          0 OK; else text := length:varint (<= 1024) utf8
 * TREE_LEVEL body   := level:u8 count:varint position:varint{count}      reply: hash:u64{count}
 * LEAF_KEYS  body   := count:varint leaf:varint{count}                   reply: (n:varint (key digest:u64){n}){count}
 * FETCH      body   := count:varint key{count}                           reply: count:varint (key siblings){count}
 * PUSH       body   := count:varint (key siblings){count}                reply: count:varint (key siblings){count}
 *            (the reply: the receiver's merged set of each pushed key where it held versions the sender lacks)
 * key      := length:varint (>= 1) bytes       siblings := length:varint bytes (0: none stored)
 * </pre>
 */
final class ExchangeMessages {
    /** Hashes of chosen nodes of one level of a range's tree. */
    static final int TREE_LEVEL = 0x5210;
    /** The keys of chosen leaves, with their digests. */
    static final int LEAF_KEYS = 0x5211;
    /** Sibling sets of chosen keys (pull). */
    static final int FETCH = 0x5212;
    /** Sibling sets to merge into the receiver's store (push). */
    static final int PUSH = 0x5213;

    static final int FORMAT = 1;
    static final int OK = 0;
    static final int RANGE_UNKNOWN = 1;
    static final int MALFORMED = 2;
    static final int FAILED = 3;
    static final int MAX_TEXT_BYTES = 1024;
    /** Bound on any count in a message: positions, leaves, keys. */
    static final int MAX_ITEMS = 1 << 16;
    static final int MAX_KEY_BYTES = 64 << 10;

    private ExchangeMessages() {
    }

    /** Which tree a request is about. */
    record RangeRef(TokenRange range, int depth) {
    }

    record LevelRequest(RangeRef ref, int level, int[] positions) {
    }

    record LeavesRequest(RangeRef ref, int[] leaves) {
    }

    record KeysRequest(RangeRef ref, List<byte[]> keys) {
    }

    /** A key and its encoded sibling set (empty: none stored). */
    record KeySet(byte[] key, byte[] siblings) {
    }

    record SetsRequest(RangeRef ref, List<KeySet> sets) {
    }

    /** A key of a leaf as the replica holds it. */
    record KeyDigest(byte[] key, long digest) {
    }

    // ---- requests -------------------------------------------------------------------------

    static byte[] levelRequest(RangeRef ref, int level, int[] positions) {
        ByteWriter w = header(ref, 2 + 3 * positions.length);
        w.u8(level);
        w.varLong(positions.length);
        for (int p : positions) {
            w.varLong(p);
        }
        return w.toByteArray();
    }

    static LevelRequest decodeLevelRequest(byte[] payload) {
        return decode(payload, "tree level request", r -> {
            RangeRef ref = ref(r);
            int level = r.u8("level");
            if (level > ref.depth()) {
                throw r.malformed("level " + level + " is below the leaves of a depth-" + ref.depth() + " tree");
            }
            int[] positions = ascending(r, "position", 1 << level);
            return new LevelRequest(ref, level, positions);
        });
    }

    static byte[] leavesRequest(RangeRef ref, int[] leaves) {
        ByteWriter w = header(ref, 2 + 3 * leaves.length);
        w.varLong(leaves.length);
        for (int leaf : leaves) {
            w.varLong(leaf);
        }
        return w.toByteArray();
    }

    static LeavesRequest decodeLeavesRequest(byte[] payload) {
        return decode(payload, "leaf keys request", r -> {
            RangeRef ref = ref(r);
            return new LeavesRequest(ref, ascending(r, "leaf", 1 << ref.depth()));
        });
    }

    static byte[] keysRequest(RangeRef ref, List<byte[]> keys) {
        ByteWriter w = header(ref, 16 * keys.size());
        w.varLong(keys.size());
        keys.forEach(k -> bytes(w, k));
        return w.toByteArray();
    }

    static KeysRequest decodeKeysRequest(byte[] payload) {
        return decode(payload, "fetch request", r -> {
            RangeRef ref = ref(r);
            int n = count(r, "key count", 2);
            List<byte[]> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keys.add(key(r));
            }
            return new KeysRequest(ref, keys);
        });
    }

    static byte[] setsRequest(RangeRef ref, List<KeySet> sets) {
        ByteWriter w = header(ref, setsBytes(sets));
        sets(w, sets);
        return w.toByteArray();
    }

    static SetsRequest decodeSetsRequest(byte[] payload) {
        return decode(payload, "push request", r -> new SetsRequest(ref(r), sets(r)));
    }

    // ---- replies --------------------------------------------------------------------------

    static byte[] levelReply(long[] hashes) {
        ByteWriter w = ok(8 * hashes.length);
        for (long h : hashes) {
            u64(w, h);
        }
        return w.toByteArray();
    }

    static long[] decodeLevelReply(byte[] reply, int expected) {
        return decodeReply(reply, "tree level reply", r -> {
            long[] hashes = new long[expected];
            for (int i = 0; i < expected; i++) {
                hashes[i] = u64(r, "hash");
            }
            return hashes;
        });
    }

    static byte[] leavesReply(List<List<KeyDigest>> leaves) {
        int estimate = leaves.stream().mapToInt(l -> 1 + l.size() * 24).sum();
        ByteWriter w = ok(estimate);
        for (List<KeyDigest> leaf : leaves) {
            w.varLong(leaf.size());
            for (KeyDigest kd : leaf) {
                bytes(w, kd.key());
                u64(w, kd.digest());
            }
        }
        return w.toByteArray();
    }

    static List<List<KeyDigest>> decodeLeavesReply(byte[] reply, int expected) {
        return decodeReply(reply, "leaf keys reply", r -> {
            List<List<KeyDigest>> out = new ArrayList<>(expected);
            for (int i = 0; i < expected; i++) {
                int n = count(r, "leaf key count", 10);
                List<KeyDigest> leaf = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    leaf.add(new KeyDigest(key(r), u64(r, "digest")));
                }
                out.add(leaf);
            }
            return out;
        });
    }

    static byte[] setsReply(List<KeySet> sets) {
        ByteWriter w = ok(setsBytes(sets));
        sets(w, sets);
        return w.toByteArray();
    }

    /** A FETCH reply, or a PUSH reply (the pushed keys the receiver was ahead on). */
    static List<KeySet> decodeSetsReply(byte[] reply) {
        return decodeReply(reply, "sets reply", ExchangeMessages::sets);
    }

    static byte[] errorReply(int status, String message) {
        byte[] text = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_TEXT_BYTES) {
            text = Arrays.copyOf(text, MAX_TEXT_BYTES); // may cut a character; decoded leniently
        }
        ByteWriter w = new ByteWriter(3 + text.length);
        w.u8(status);
        bytes(w, text);
        return w.toByteArray();
    }

    // ---- fields ---------------------------------------------------------------------------

    private static ByteWriter header(RangeRef ref, int bodyEstimate) {
        ByteWriter w = new ByteWriter(34 + bodyEstimate);
        w.u8(FORMAT);
        w.bytes(ref.range().fromExclusive().toBytes());
        w.bytes(ref.range().toInclusive().toBytes());
        w.u8(ref.depth());
        return w;
    }

    private static RangeRef ref(ByteReader r) {
        int format = r.u8("format");
        if (format != FORMAT) {
            throw r.malformed("unknown anti-entropy format " + format + " (this node reads format " + FORMAT + ")");
        }
        Token from = Token.fromBytes(r.bytes(Token.BYTES, "range start"));
        Token to = Token.fromBytes(r.bytes(Token.BYTES, "range end"));
        int depth = r.u8("depth");
        if (depth < 1 || depth > AntiEntropyConfig.MAX_DEPTH) {
            throw r.malformed("depth " + depth + " is not between 1 and " + AntiEntropyConfig.MAX_DEPTH);
        }
        return new RangeRef(new TokenRange(from, to), depth);
    }

    private static ByteWriter ok(int bodyEstimate) {
        ByteWriter w = new ByteWriter(1 + bodyEstimate);
        w.u8(OK);
        return w;
    }

    /** Strictly ascending numbers below {@code bound}. */
    private static int[] ascending(ByteReader r, String field, int bound) {
        int n = count(r, field + " count", 1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int v = r.varInt(field);
            if (v >= bound || (i > 0 && v <= out[i - 1])) {
                throw r.malformed(field + " " + v + " is not ascending below " + bound);
            }
            out[i] = v;
        }
        return out;
    }

    private static int count(ByteReader r, String field, int minBytesEach) {
        int n = r.count(field, minBytesEach);
        if (n > MAX_ITEMS) {
            throw r.malformed(field + " " + n + " exceeds " + MAX_ITEMS);
        }
        return n;
    }

    private static byte[] key(ByteReader r) {
        int length = r.varInt("key length");
        if (length == 0 || length > MAX_KEY_BYTES) {
            throw r.malformed("key length " + length + " is not between 1 and " + MAX_KEY_BYTES);
        }
        return r.bytes(length, "key");
    }

    private static void sets(ByteWriter w, List<KeySet> sets) {
        w.varLong(sets.size());
        for (KeySet s : sets) {
            bytes(w, s.key());
            bytes(w, s.siblings());
        }
    }

    private static List<KeySet> sets(ByteReader r) {
        int n = count(r, "set count", 3);
        List<KeySet> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = key(r);
            out.add(new KeySet(key, r.bytes(r.varInt("siblings length"), "siblings")));
        }
        return out;
    }

    private static int setsBytes(List<KeySet> sets) {
        long n = 5;
        for (KeySet s : sets) {
            n += 10 + s.key().length + s.siblings().length;
        }
        return (int) Math.min(n, Integer.MAX_VALUE - 64);
    }

    private static void bytes(ByteWriter w, byte[] b) {
        w.varLong(b.length);
        w.bytes(b);
    }

    private static void u64(ByteWriter w, long v) {
        w.u32((int) (v >>> 32));
        w.u32((int) v);
    }

    private static long u64(ByteReader r, String field) {
        byte[] b = r.bytes(8, field);
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xFF);
        }
        return v;
    }

    private static <T> T decode(byte[] payload, String what, Function<ByteReader, T> body) {
        try {
            ByteReader r = new ByteReader(payload, 0, payload.length);
            T out = body.apply(r);
            r.expectEnd(what);
            return out;
        } catch (MalformedVersionException e) {
            throw new MalformedExchangeException("malformed " + what + ": " + e.getMessage(), e);
        }
    }

    /** Opens a reply: the body of an OK one, or the typed refusal it carries. */
    private static <T> T decodeReply(byte[] reply, String what, Function<ByteReader, T> body) {
        try {
            ByteReader r = new ByteReader(reply, 0, reply.length);
            int status = r.u8("status");
            if (status != OK) {
                int length = r.varInt("text length");
                if (length > MAX_TEXT_BYTES) {
                    throw r.malformed("text of " + length + " bytes exceeds " + MAX_TEXT_BYTES);
                }
                String text = new String(r.bytes(length, "text"), StandardCharsets.UTF_8);
                throw switch (status) {
                    case RANGE_UNKNOWN -> new RangeUnknownException(text);
                    case MALFORMED -> new MalformedExchangeException("the peer could not decode our " + what + ": " + text, null);
                    case FAILED -> new ExchangeFailedException("the peer failed: " + text, null);
                    default -> r.malformed("unknown reply status " + status);
                };
            }
            T out = body.apply(r);
            r.expectEnd(what);
            return out;
        } catch (MalformedVersionException e) {
            throw new MalformedExchangeException("malformed " + what + ": " + e.getMessage(), e);
        }
    }
}
