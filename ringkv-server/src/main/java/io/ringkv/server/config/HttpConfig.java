package io.ringkv.server.config;

/**
 * The client-facing HTTP listener.
 *
 * @param host                 address to bind
 * @param port                 port to bind; 0 picks a free one (tests)
 * @param maxInFlightRequests  requests being served at once; more are answered 503 at once
 * @param maxRequestBodyBytes  hard cap on a request body; larger ones get 413 without being buffered
 * @param ioThreads            event loop threads of the HTTP server's own; 0 to share the inter-node
 *                             transport's ({@code cluster.ioThreads}, the default: a request and the
 *                             peer messages it causes then run on one thread)
 */
public record HttpConfig(String host, int port, int maxInFlightRequests, int maxRequestBodyBytes, int ioThreads) {
}
