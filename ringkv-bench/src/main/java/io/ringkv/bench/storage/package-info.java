/**
 * The storage benchmark: ringkv's LSM engine against RocksDB on the same workloads, printing
 * both figures and their ratio. Entry point {@link io.ringkv.bench.storage.StorageBenchmark}.
 */
package io.ringkv.bench.storage;
