package io.ringkv.cluster.coordinator;

import io.ringkv.core.version.ByteReader;
import io.ringkv.core.version.ByteWriter;
import io.ringkv.core.version.Siblings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Codecs of the sloppy quorum's messages (docs/design/hinted-handoff.md, "Messages"):
 *
 * <pre>
 * HINTED_WRITE request := format:u8 (=1) targetLength:varint target:utf8 keyLength:varint key
 *                         siblingsLength:varint siblings
 *              reply   := status:u8 (=0 OK, once the hint is durable)        | error (ReplyStatus)
 * HINT_READ    request := format:u8 (=1) keyLength:varint key targetCount:varint (targetLength:varint target:utf8)*
 *              reply   := status:u8 (=0 OK) siblingsLength:varint siblings   | error (ReplyStatus)
 * </pre>
 * A HINT_READ's answer merges the hints held for the key for any of the targets named (the
 * key's replicas the reader could not reach); empty when there are none.
 */
final class HintMessages {
    private static final int MAX_TARGETS = 64;

    private HintMessages() {
    }

    /** A HINTED_WRITE as decoded by the fallback that will hold it. */
    record HintedWrite(String target, byte[] key, Siblings siblings) {
    }

    /** A HINT_READ as decoded. */
    record HintRead(byte[] key, List<String> targets) {
    }

    static byte[] hintedWrite(String target, byte[] key, Siblings siblings) {
        ByteWriter w = MessageFields.request(80 + key.length);
        MessageFields.bytes(w, target.getBytes(StandardCharsets.UTF_8));
        MessageFields.bytes(w, key);
        MessageFields.siblings(w, siblings);
        return w.toByteArray();
    }

    static HintedWrite decodeHintedWrite(byte[] payload) {
        return MessageFields.decodeRequest(payload, "hinted write",
                r -> new HintedWrite(target(r), MessageFields.key(r), MessageFields.siblings(r, "siblings")));
    }

    static byte[] hintRead(byte[] key, List<String> targets) {
        ByteWriter w = MessageFields.request(16 + key.length + 16 * targets.size());
        MessageFields.bytes(w, key);
        w.varLong(targets.size());
        for (String target : targets) {
            MessageFields.bytes(w, target.getBytes(StandardCharsets.UTF_8));
        }
        return w.toByteArray();
    }

    static HintRead decodeHintRead(byte[] payload) {
        return MessageFields.decodeRequest(payload, "hint read", r -> {
            byte[] key = MessageFields.key(r);
            int count = r.varInt("target count");
            if (count > MAX_TARGETS) {
                throw r.malformed("more than " + MAX_TARGETS + " targets");
            }
            List<String> targets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                targets.add(target(r));
            }
            return new HintRead(key, targets);
        });
    }

    private static String target(ByteReader r) {
        byte[] id = MessageFields.bytes(r, "target");
        if (id.length == 0 || id.length > 255) {
            throw r.malformed("a target id must be 1 to 255 bytes");
        }
        return new String(id, StandardCharsets.UTF_8);
    }
}
