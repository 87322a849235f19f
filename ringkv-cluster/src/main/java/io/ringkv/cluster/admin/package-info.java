/**
 * What an operator asks one node about its share of the cluster and tells it to do: a key's
 * replicas, what this node itself stores, the hints it holds for others, and repair runs
 * ({@link io.ringkv.cluster.admin.NodeAdmin}). The HTTP layer serves it under
 * {@code /api/v1/admin/} and {@code bin/ringkv admin} drives it (docs/cli.md).
 */
package io.ringkv.cluster.admin;
