package io.ringkv.cluster.coordinator;

/**
 * A client's put or delete, validated, with its quorum and time budget resolved: what a
 * coordinator needs to run it, and what a forwarding node sends in COORDINATE_WRITE.
 *
 * @param value         the new value; null for a delete (a tombstone)
 * @param context       the client's context string, null for none; decoded by the coordinator
 * @param quorum        W, already validated against N, or a quorum per data center
 * @param timeoutMillis time the coordinator has to reach W acknowledgements
 * @param sloppy        whether fallbacks' hints count toward W (the client's choice or the first node's default)
 */
record WriteRequest(Op op, byte[] key, String context, byte[] value, QuorumLevel quorum, long timeoutMillis,
                    boolean sloppy) {

    WriteRequest {
        if ((op == Op.DELETE) != (value == null)) {
            throw new IllegalArgumentException("a put carries a value and a delete does not, got " + op);
        }
    }

    WriteRequest withTimeoutMillis(long millis) {
        return new WriteRequest(op, key, context, value, quorum, millis, sloppy);
    }
}
