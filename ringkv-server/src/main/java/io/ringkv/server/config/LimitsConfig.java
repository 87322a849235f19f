package io.ringkv.server.config;

/**
 * Size limits on what clients may store (the design notes: "key value pair size less than 10 KB").
 *
 * @param maxKeyBytes      longest key, in bytes
 * @param maxKeyValueBytes longest key plus value, in bytes (the value as stored, without its type tag)
 */
public record LimitsConfig(int maxKeyBytes, int maxKeyValueBytes) {
}
