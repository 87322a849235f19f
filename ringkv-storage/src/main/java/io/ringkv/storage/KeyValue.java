package io.ringkv.storage;

/** A live key and its (merged) value, as returned by {@link StorageEngine#scan}. */
public record KeyValue(byte[] token, byte[] key, byte[] value) {
}
