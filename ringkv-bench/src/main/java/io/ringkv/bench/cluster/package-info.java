/**
 * {@code bin/ringkv bench cluster}: a closed-loop load generator over {@code ringkv-client}
 * against a running cluster (docs/benchmarks.md, "Cluster load generator").
 */
package io.ringkv.bench.cluster;
