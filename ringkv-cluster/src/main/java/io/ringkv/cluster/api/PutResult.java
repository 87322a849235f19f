package io.ringkv.cluster.api;

/**
 * The outcome of an acknowledged put or delete.
 *
 * @param context  context of the version just written (a later put passing it supersedes it)
 * @param replicas the key's own replicas that acknowledged the write durably (1 on a single node)
 * @param hints    fallback nodes that acknowledged a durable hint for a replica that was down or
 *                 silent (counted toward W only under a sloppy quorum)
 */
public record PutResult(String context, int replicas, int hints) {

    /** Every durable acknowledgement: replicas plus hints. */
    public int acknowledgements() {
        return replicas + hints;
    }
}
