package io.ringkv.server.config;

/**
 * Dynamo's N, R and W (§4.5). Used by the cluster; a single node stores one replica, so its
 * effective N is 1 and requests may ask for at most R = W = 1.
 *
 * @param n replicas per key
 * @param r replies a read waits for by default
 * @param w acknowledgements a write waits for by default
 */
public record ReplicationConfig(int n, int r, int w) {
}
