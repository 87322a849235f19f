package io.ringkv.cluster.coordinator;

import io.ringkv.core.version.ByteReader;
import io.ringkv.core.version.ByteWriter;
import io.ringkv.core.version.MalformedVersionException;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fields coordinator messages share: the request format byte, length-prefixed bytes, an
 * embedded sibling set, and the one place where any decoding failure becomes a
 * {@link MalformedMessageException}.
 */
final class MessageFields {
    /** First byte of every coordinator request; a receiver refuses any other. */
    static final int FORMAT = 1;

    private MessageFields() {
    }

    static ByteWriter request(int estimate) {
        ByteWriter w = new ByteWriter(1 + estimate);
        w.u8(FORMAT);
        return w;
    }

    static void bytes(ByteWriter w, byte[] bytes) {
        w.varLong(bytes.length);
        w.bytes(bytes);
    }

    static void siblings(ByteWriter w, Siblings siblings) {
        bytes(w, SiblingsCodec.encode(siblings));
    }

    static byte[] bytes(ByteReader r, String field) {
        return r.bytes(r.varInt(field + " length"), field);
    }

    /** A key: length-prefixed, never empty. */
    static byte[] key(ByteReader r) {
        byte[] key = bytes(r, "key");
        if (key.length == 0) {
            throw r.malformed("the key is empty");
        }
        return key;
    }

    static Siblings siblings(ByteReader r, String field) {
        return SiblingsCodec.decode(bytes(r, field));
    }

    /**
     * Decodes a request with {@code body} after checking its format byte and before requiring
     * that nothing trails it.
     */
    static <T> T decodeRequest(byte[] payload, String what, Function<ByteReader, T> body) {
        return decode(what, () -> {
            ByteReader r = new ByteReader(payload, 0, payload.length);
            int format = r.u8("format");
            if (format != FORMAT) {
                throw r.malformed("unknown " + what + " format " + format + " (this node reads format " + FORMAT + ")");
            }
            T decoded = body.apply(r);
            r.expectEnd(what);
            return decoded;
        });
    }

    /** Decodes the body of an OK reply (see {@link ReplyStatus#open}), which must be consumed exactly. */
    static <T> T decodeReply(byte[] reply, String what, Function<ByteReader, T> body) {
        ByteReader r = ReplyStatus.open(reply, what);
        return decode(what, () -> {
            T decoded = body.apply(r);
            r.expectEnd(what);
            return decoded;
        });
    }

    private static <T> T decode(String what, Supplier<T> decoding) {
        try {
            return decoding.get();
        } catch (MalformedVersionException e) {
            throw new MalformedMessageException("malformed " + what + ": " + e.getMessage(), e);
        }
    }
}
