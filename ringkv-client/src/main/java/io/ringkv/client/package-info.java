/**
 * The ringkv Java client: {@link io.ringkv.client.RingkvClient} talks to any node of a cluster
 * over the public HTTP API (docs/http-api.md), fails over between nodes, and maps error answers
 * to typed exceptions. Everything but the public types is package-private.
 */
package io.ringkv.client;
