/**
 * The ringkv Java client: {@link io.ringkv.client.RingkvClient} talks to a cluster over the public
 * HTTP API (docs/http-api.md), straight to a replica of each key when partition-aware or through
 * any node, fails over between nodes (retrying writes only when they certainly did not arrive),
 * and maps error answers to typed exceptions; {@link io.ringkv.client.TypedClient} adds codecs and
 * conflict resolvers. Usage: docs/client.md. Everything but the public types is package-private.
 */
package io.ringkv.client;
