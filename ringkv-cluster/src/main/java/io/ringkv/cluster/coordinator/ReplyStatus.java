package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.NotReadyException;
import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.core.version.ByteReader;
import io.ringkv.core.version.ByteWriter;
import io.ringkv.core.version.MalformedVersionException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first byte of every coordinator reply, and the typed error that may follow it. Errors
 * travel as data in a normal reply (not as the transport's generic handler failure) so that the
 * caller rebuilds the same exception: a forwarded put that missed its quorum still says how many
 * replicas acknowledged, an invalid request keeps its message.
 *
 * <pre>
 * reply := status:u8 body
 *   0 OK               body depends on the message
 *   1 INVALID_REQUEST  message:text
 *   2 STORE_FAILURE    message:text
 *   3 QUORUM_NOT_MET   op:u8 required:varint acknowledged:varint
 *   4 MALFORMED        message:text   (the receiver could not decode the request)
 *   5 NOT_READY        message:text
 *   6 QUORUM_NOT_MET_IN_DATA_CENTER  op:u8 required:varint acknowledged:varint dataCenter:text
 *                      (a quorum counted per data center: the counts of the one that fell short)
 * text := length:varint (at most 1024) utf8:byte{length}
 * </pre>
 */
final class ReplyStatus {
    static final int OK = 0;
    static final int INVALID_REQUEST = 1;
    static final int STORE_FAILURE = 2;
    static final int QUORUM_NOT_MET = 3;
    static final int MALFORMED = 4;
    static final int NOT_READY = 5;
    static final int QUORUM_NOT_MET_IN_DATA_CENTER = 6;

    static final int MAX_TEXT_BYTES = 1024;

    private ReplyStatus() {
    }

    /** A writer with the OK status already written. */
    static ByteWriter ok(int bodyEstimate) {
        ByteWriter w = new ByteWriter(1 + bodyEstimate);
        w.u8(OK);
        return w;
    }

    /** The error reply for a failure of the receiver's work. */
    static byte[] error(RuntimeException failure) {
        ByteWriter w = new ByteWriter(64);
        switch (failure) {
            case QuorumNotMetException e when e.dataCenter().isPresent() -> {
                w.u8(QUORUM_NOT_MET_IN_DATA_CENTER);
                w.u8(opCode(e.operation()));
                w.varLong(e.required());
                w.varLong(e.acknowledged());
                textBody(w, e.dataCenter().get());
            }
            case QuorumNotMetException e -> {
                w.u8(QUORUM_NOT_MET);
                w.u8(opCode(e.operation()));
                w.varLong(e.required());
                w.varLong(e.acknowledged());
            }
            case InvalidRequestException e -> text(w, INVALID_REQUEST, e.getMessage());
            case StoreFailureException e -> text(w, STORE_FAILURE, e.getMessage());
            case MalformedMessageException e -> text(w, MALFORMED, e.getMessage());
            case NotReadyException e -> text(w, NOT_READY, e.getMessage());
            default -> throw new IllegalArgumentException("no reply status for " + failure.getClass().getName(), failure);
        }
        return w.toByteArray();
    }

    /**
     * Reads the status of {@code reply}: returns a reader positioned at the body when it is OK,
     * else throws the error it carries ({@link KvException} or {@link MalformedMessageException}).
     */
    static ByteReader open(byte[] reply, String what) {
        ByteReader r = new ByteReader(reply, 0, reply.length);
        try {
            int status = r.u8("status");
            switch (status) {
                case OK -> {
                    return r;
                }
                case INVALID_REQUEST -> throw new InvalidRequestException(readText(r));
                case STORE_FAILURE -> throw new StoreFailureException("a replica's storage failed: " + readText(r), null);
                case QUORUM_NOT_MET, QUORUM_NOT_MET_IN_DATA_CENTER -> {
                    Op op = Op.ofCode(r.u8("op"));
                    if (op == null) {
                        throw r.malformed("unknown op");
                    }
                    int required = r.varInt("required");
                    int acknowledged = r.varInt("acknowledged");
                    if (status == QUORUM_NOT_MET) {
                        r.expectEnd(what);
                        throw new QuorumNotMetException(op.label, required, acknowledged);
                    }
                    throw new QuorumNotMetException(op.label, required, acknowledged, readText(r));
                }
                case NOT_READY -> throw new NotReadyException("the replica is not ready: " + readText(r));
                case MALFORMED -> throw new MalformedMessageException("the peer could not decode our " + what + ": " + readText(r), null);
                default -> throw r.malformed("unknown reply status " + status);
            }
        } catch (MalformedVersionException e) {
            throw new MalformedMessageException("malformed " + what + ": " + e.getMessage(), e);
        }
    }

    private static int opCode(String operation) {
        for (Op op : Op.values()) {
            if (op.label.equals(operation)) {
                return op.code;
            }
        }
        throw new IllegalArgumentException("unknown operation " + operation);
    }

    private static void text(ByteWriter w, int status, String message) {
        w.u8(status);
        textBody(w, message);
    }

    private static void textBody(ByteWriter w, String message) {
        byte[] bytes = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TEXT_BYTES) {
            bytes = Arrays.copyOf(bytes, MAX_TEXT_BYTES); // may cut a character; decoded leniently
        }
        w.varLong(bytes.length);
        w.bytes(bytes);
    }

    private static String readText(ByteReader r) {
        int length = r.varInt("text length");
        if (length > MAX_TEXT_BYTES) {
            throw r.malformed("text of " + length + " bytes exceeds " + MAX_TEXT_BYTES);
        }
        byte[] bytes = r.bytes(length, "text");
        r.expectEnd("error reply");
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
