package io.ringkv.cluster.coordinator;

import io.ringkv.core.version.ByteWriter;
import io.ringkv.core.version.Siblings;

/**
 * Codecs of the replica-level messages, which carry no versioning decisions: the coordinator
 * decided everything and a replica only reads or merges (docs/design/coordinator.md).
 *
 * <pre>
 * REPLICA_READ  request := format:u8 (=1) keyLength:varint key
 *               reply   := status:u8 (=0 OK) siblingsLength:varint siblings   | error (ReplyStatus)
 * REPLICA_WRITE request := format:u8 (=1) keyLength:varint key siblingsLength:varint siblings
 *               reply   := status:u8 (=0 OK)                                   | error (ReplyStatus)
 * </pre>
 * {@code siblings} is the sibling encoding of docs/design/versioning.md.
 */
final class ReplicaMessages {
    private ReplicaMessages() {
    }

    /** A REPLICA_WRITE request as decoded by the receiver. */
    record KeyVersions(byte[] key, Siblings siblings) {
    }

    static byte[] readRequest(byte[] key) {
        ByteWriter w = MessageFields.request(5 + key.length);
        MessageFields.bytes(w, key);
        return w.toByteArray();
    }

    static byte[] decodeReadRequest(byte[] payload) {
        return MessageFields.decodeRequest(payload, "replica read request", MessageFields::key);
    }

    static byte[] readReply(Siblings siblings) {
        ByteWriter w = ReplyStatus.ok(64);
        MessageFields.siblings(w, siblings);
        return w.toByteArray();
    }

    static Siblings decodeReadReply(byte[] reply) {
        return MessageFields.decodeReply(reply, "replica read reply", r -> MessageFields.siblings(r, "siblings"));
    }

    static byte[] writeRequest(byte[] key, Siblings siblings) {
        ByteWriter w = MessageFields.request(64 + key.length);
        MessageFields.bytes(w, key);
        MessageFields.siblings(w, siblings);
        return w.toByteArray();
    }

    static KeyVersions decodeWriteRequest(byte[] payload) {
        return MessageFields.decodeRequest(payload, "replica write request",
                r -> new KeyVersions(MessageFields.key(r), MessageFields.siblings(r, "siblings")));
    }

    static byte[] writeReply() {
        return ReplyStatus.ok(0).toByteArray();
    }

    static void decodeWriteReply(byte[] reply) {
        MessageFields.decodeReply(reply, "replica write reply", r -> Boolean.TRUE);
    }
}
