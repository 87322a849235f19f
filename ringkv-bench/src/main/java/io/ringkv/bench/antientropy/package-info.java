/**
 * {@code ringkv bench antientropy}: what Merkle-tree anti-entropy costs when 0.1 % of keys
 * diverged on one replica, and when nothing did, against a full compare (docs/benchmarks.md).
 */
package io.ringkv.bench.antientropy;
