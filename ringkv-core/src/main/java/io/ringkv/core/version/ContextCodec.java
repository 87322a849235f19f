package io.ringkv.core.version;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The opaque context string handed to clients (Dynamo §4.1's "context"): the
 * {@link CausalContext} of what they read or wrote, which they pass back on their next write.
 * It is {@code base64url(format:u8 (=2) clock events mac:u64)} without padding, the clock and
 * events as in {@link SiblingsCodec}, and the MAC a SipHash-2-4 of everything before it under
 * the cluster's context key (docs/design/versioning.md, "Context encoding").
 *
 * <p>Why a MAC and not a checksum: a context is a claim, "I have seen these writes", and the
 * store acts on it by superseding them. A claim the cluster never issued (forged, or mangled
 * on its way) that names counters a node has not reached yet would make that node's future
 * writes look already seen, so they would be acknowledged and then dropped. With the MAC, every
 * context a node accepts is one some node of the cluster made from versions it held, so its
 * counters were issued. Same key on every node: any node may check any context. Thread-safe.
 */
public final class ContextCodec {
    public static final int FORMAT = 2;
    /** Plain vector clocks with a CRC32C: they over-claimed after a write, so they are refused. */
    static final int FORMAT_UNAUTHENTICATED = 1;
    /** Longer strings are rejected before decoding: far beyond any context a node hands out. */
    public static final int MAX_CONTEXT_CHARS = 64 * 1024;
    private static final int MAC_BYTES = 8;

    private final SipHash mac;

    private ContextCodec(byte[] key) {
        this.mac = new SipHash(key);
    }

    /** A codec under a 16-byte key. */
    public static ContextCodec withKey(byte[] key) {
        return new ContextCodec(key.clone());
    }

    /**
     * A codec under the key derived from {@code secret} (the cluster's configured secret, the
     * same on every node): the first 16 bytes of SHA-256 over a fixed label and the secret.
     */
    public static ContextCodec forSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the context secret must not be empty");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("ringkv context key\0".getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest(secret.getBytes(StandardCharsets.UTF_8));
            return new ContextCodec(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public String encode(CausalContext context) {
        ByteWriter w = new ByteWriter(16 + 24 * context.size());
        w.u8(FORMAT);
        SiblingsCodec.writeClock(w, context.past());
        SiblingsCodec.writeEntries(w, context.dots());
        long tag = mac.hash(w.array(), 0, w.size());
        w.u32((int) (tag >>> 32));
        w.u32((int) tag);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(w.toByteArray());
    }

    /** @throws InvalidContextException naming what is wrong with {@code context} */
    public CausalContext decode(String context) {
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
        if (bytes.length >= 1 && bytes[0] == FORMAT_UNAUTHENTICATED) {
            throw new InvalidContextException("context format 1 is no longer accepted (it could claim writes its holder"
                    + " never saw): read the key again for a current context");
        }
        if (bytes.length < 1 + 1 + 1 + MAC_BYTES) {
            throw new InvalidContextException("context is too short (" + bytes.length + " bytes)");
        }
        int bodyLength = bytes.length - MAC_BYTES;
        long expected = 0;
        for (int i = bodyLength; i < bytes.length; i++) {
            expected = (expected << 8) | (bytes[i] & 0xFF);
        }
        if (mac.hash(bytes, 0, bodyLength) != expected) {
            throw new InvalidContextException("context was not issued by this cluster or was altered"
                    + " (its authentication code does not match)");
        }
        if (bytes[0] != FORMAT) {
            throw new InvalidContextException("unknown context format " + (bytes[0] & 0xFF) + " (this node reads format " + FORMAT + ")");
        }
        try {
            ByteReader r = new ByteReader(bytes, 1, bodyLength);
            VectorClock past = SiblingsCodec.readClock(r, SiblingsCodec.ClockFields.CONTEXT_CLOCK);
            CausalContext decoded = CausalContext.of(past, SiblingsCodec.readEntries(r, SiblingsCodec.ClockFields.CONTEXT_EVENTS));
            r.expectEnd("context");
            return decoded;
        } catch (MalformedVersionException e) {
            throw new InvalidContextException("context is unreadable: " + e.getMessage(), e);
        }
    }
}
