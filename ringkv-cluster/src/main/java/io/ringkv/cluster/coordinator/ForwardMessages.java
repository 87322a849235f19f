package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.PutResult;
import io.ringkv.core.version.ByteReader;
import io.ringkv.core.version.ByteWriter;
import java.nio.charset.StandardCharsets;

/**
 * Codec of COORDINATE_WRITE, the one-hop forward of a put or delete from a node outside the
 * key's replicas to one inside (docs/design/coordinator.md, "Forwarding").
 *
 * <pre>
 * request := format:u8 (=1) op:u8 (1 put, 2 delete)
 *            flags:u8                       bit 0: sloppy quorum; bits 1-2: level (0 count, 1 local quorum, 2 each quorum)
 *            writeQuorum:varint             W (>= 1) for a count, 0 for the other levels
 *            timeoutMillis:varint
 *            notAfterEpochMillis:varint     sender's wall clock; later than this the receiver refuses
 *            [dataCenterLength:varint dataCenter:utf8]   local quorum only: the data center it counts in
 *            hasContext:u8 (0 or 1) [contextLength:varint context:ascii]
 *            keyLength:varint key [valueLength:varint value]     value only for a put
 * reply   := status:u8 (=0 OK) replicas:varint hints:varint contextLength:varint context:ascii
 *          | error (ReplyStatus)
 * </pre>
 * The client's context travels as the string the client sent: the receiver validates it exactly
 * as if the client had called it directly.
 *
 * <p>{@code notAfterEpochMillis} is why a retried forward is not applied twice: the transport's
 * deadline is relative and restarts when a paused receiver finally reads the frame, so only a
 * wall-clock bound tells it that the sender has given up and moved on (Cassandra's cross-node
 * timeout makes the same trade: it assumes clocks synchronized to well under the timeout).
 */
final class ForwardMessages {
    private static final int SLOPPY = 1;
    private static final int LEVEL_SHIFT = 1;
    private static final int LEVEL_MASK = 0b11 << LEVEL_SHIFT;
    private static final int LOCAL_QUORUM = 1;
    private static final int EACH_QUORUM = 2;
    private static final int MAX_DATA_CENTER_BYTES = 256;
    private ForwardMessages() {
    }

    /** A forwarded write as received: the request and the sender's wall-clock bound on it. */
    record Forwarded(WriteRequest request, long notAfterEpochMillis) {
    }

    static byte[] request(WriteRequest request, long notAfterEpochMillis) {
        int valueLength = request.value() == null ? 0 : request.value().length;
        ByteWriter w = MessageFields.request(40 + request.key().length + valueLength);
        w.u8(request.op().code);
        QuorumLevel quorum = request.quorum();
        int level = switch (quorum.consistency()) {
            case LOCAL_QUORUM -> LOCAL_QUORUM;
            case EACH_QUORUM -> EACH_QUORUM;
            default -> 0;
        };
        w.u8((request.sloppy() ? SLOPPY : 0) | level << LEVEL_SHIFT);
        w.varLong(quorum.count());
        w.varLong(request.timeoutMillis());
        w.varLong(notAfterEpochMillis);
        if (level == LOCAL_QUORUM) {
            MessageFields.bytes(w, quorum.dataCenter().getBytes(StandardCharsets.UTF_8));
        }
        if (request.context() == null) {
            w.u8(0);
        } else {
            w.u8(1);
            MessageFields.bytes(w, request.context().getBytes(StandardCharsets.UTF_8));
        }
        MessageFields.bytes(w, request.key());
        if (request.value() != null) {
            MessageFields.bytes(w, request.value());
        }
        return w.toByteArray();
    }

    static Forwarded decodeRequest(byte[] payload) {
        return MessageFields.decodeRequest(payload, "forwarded write", ForwardMessages::readRequest);
    }

    private static Forwarded readRequest(ByteReader r) {
        Op op = Op.ofCode(r.u8("op"));
        if (op != Op.PUT && op != Op.DELETE) {
            throw r.malformed("op is not put or delete");
        }
        int flags = r.u8("flags");
        if ((flags & ~(SLOPPY | LEVEL_MASK)) != 0) {
            throw r.malformed("unknown flags " + flags);
        }
        int level = (flags & LEVEL_MASK) >> LEVEL_SHIFT;
        int writeQuorum = r.varInt("write quorum");
        long timeoutMillis = r.varLong("timeout");
        long notAfterEpochMillis = r.varLong("not-after time");
        if (timeoutMillis < 1 || notAfterEpochMillis < 1) {
            throw r.malformed("timeout and not-after time must be positive");
        }
        if ((level == 0) != (writeQuorum >= 1)) {
            throw r.malformed("write quorum must be positive for a count and 0 for a quorum per data center");
        }
        QuorumLevel quorum = switch (level) {
            case 0 -> QuorumLevel.count(writeQuorum);
            case LOCAL_QUORUM -> {
                byte[] dc = MessageFields.bytes(r, "data center");
                if (dc.length == 0 || dc.length > MAX_DATA_CENTER_BYTES) {
                    throw r.malformed("data center name of " + dc.length + " bytes");
                }
                yield QuorumLevel.localQuorum(new String(dc, StandardCharsets.UTF_8));
            }
            case EACH_QUORUM -> QuorumLevel.eachQuorum();
            default -> throw r.malformed("unknown quorum level " + level);
        };
        String context = switch (r.u8("context flag")) {
            case 0 -> null;
            case 1 -> new String(MessageFields.bytes(r, "context"), StandardCharsets.UTF_8);
            default -> throw r.malformed("context flag is not 0 or 1");
        };
        byte[] key = MessageFields.key(r);
        byte[] value = op == Op.PUT ? MessageFields.bytes(r, "value") : null;
        return new Forwarded(new WriteRequest(op, key, context, value, quorum, timeoutMillis, (flags & SLOPPY) != 0), notAfterEpochMillis);
    }

    static byte[] reply(PutResult result) {
        byte[] context = result.context().getBytes(StandardCharsets.UTF_8);
        ByteWriter w = ReplyStatus.ok(8 + context.length);
        w.varLong(result.replicas());
        w.varLong(result.hints());
        MessageFields.bytes(w, context);
        return w.toByteArray();
    }

    static PutResult decodeReply(byte[] reply) {
        return MessageFields.decodeReply(reply, "forwarded write reply", r -> {
            int replicas = r.varInt("replica acknowledgements");
            int hints = r.varInt("hint acknowledgements");
            String context = new String(MessageFields.bytes(r, "context"), StandardCharsets.UTF_8);
            return new PutResult(context, replicas, hints);
        });
    }
}
