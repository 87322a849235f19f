package io.ringkv.core.version;

import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * The opaque context string handed to clients (Dynamo §4.1's "context"): the merged clock of
 * the versions they read, which they pass back on their next write. It is
 * {@code base64url(format:u8 (=1) clock crc32c:u32)} without padding, the clock as in
 * {@link SiblingsCodec}. The CRC32C catches a context damaged in a client's hands, so a
 * garbled context is rejected instead of silently superseding the wrong versions. It is not a
 * signature: a client can forge a context, which only lets it overwrite what it could already
 * overwrite by reading first.
 */
public final class ContextCodec {
    public static final int FORMAT = 1;
    /** Longer strings are rejected before decoding: far beyond any clock a node hands out. */
    public static final int MAX_CONTEXT_CHARS = 64 * 1024;

    private ContextCodec() {
    }

    public static String encode(VectorClock clock) {
        ByteWriter w = new ByteWriter(8 + 24 * clock.size());
        w.u8(FORMAT);
        SiblingsCodec.writeClock(w, clock);
        CRC32C crc = new CRC32C();
        crc.update(w.array(), 0, w.size());
        w.u32((int) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(w.toByteArray());
    }

    /** @throws InvalidContextException naming what is wrong with {@code context} */
    public static VectorClock decode(String context) {
        if (context == null) {
            throw new InvalidContextException("context is missing");
        }
        if (context.isEmpty()) {
            throw new InvalidContextException("context is empty");
        }
        if (context.length() > MAX_CONTEXT_CHARS) {
            throw new InvalidContextException("context is " + context.length() + " characters, more than the "
                    + MAX_CONTEXT_CHARS + " any node issues");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(context);
        } catch (IllegalArgumentException e) {
            throw new InvalidContextException("context is not base64url: " + e.getMessage(), e);
        }
        if (bytes.length < 1 + 1 + 4) {
            throw new InvalidContextException("context is too short (" + bytes.length + " bytes)");
        }
        int bodyLength = bytes.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bodyLength);
        int expected = ((bytes[bodyLength] & 0xFF) << 24) | ((bytes[bodyLength + 1] & 0xFF) << 16)
                | ((bytes[bodyLength + 2] & 0xFF) << 8) | (bytes[bodyLength + 3] & 0xFF);
        if ((int) crc.getValue() != expected) {
            throw new InvalidContextException("context checksum mismatch: it was altered or truncated");
        }
        if (bytes[0] != FORMAT) {
            throw new InvalidContextException("unknown context format " + (bytes[0] & 0xFF) + " (this node reads format " + FORMAT + ")");
        }
        try {
            ByteReader r = new ByteReader(bytes, 1, bodyLength);
            VectorClock clock = SiblingsCodec.readClock(r, SiblingsCodec.ClockFields.CONTEXT_CLOCK);
            r.expectEnd("context");
            return clock;
        } catch (MalformedVersionException e) {
            throw new InvalidContextException("context is unreadable: " + e.getMessage(), e);
        }
    }
}
