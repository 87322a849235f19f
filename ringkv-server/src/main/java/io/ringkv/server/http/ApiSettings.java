package io.ringkv.server.http;

/**
 * What the HTTP API needs to know about the node it fronts.
 *
 * @param nodeId           reported by /health
 * @param maxKeyBytes      longest key accepted
 * @param maxKeyValueBytes longest key plus value accepted
 * @param maxQuorum        largest r or w a request may ask for (the effective N: 1 on a single node)
 */
public record ApiSettings(String nodeId, int maxKeyBytes, int maxKeyValueBytes, int maxQuorum) {
}
