package io.ringkv.cluster.api;

/**
 * The outcome of an acknowledged put or delete.
 *
 * @param context         context of the version just written (a later put passing it supersedes it)
 * @param acknowledgements replicas that acknowledged the write (1 on a single node)
 */
public record PutResult(String context, int acknowledgements) {
}
