package io.ringkv.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns an application's values into the bytes the store keeps and back, for
 * {@link RingkvClient#typed(Codec)}. Ready-made: {@link #bytes()}, {@link #utf8()} and JSON via
 * Jackson ({@link #json(Class)}, {@link #json(TypeReference)}). A codec must be thread-safe.
 *
 * @param <T> the application's value type
 */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);

    /**
     * Whether encoded values are stored as JSON ({@code Content-Type: application/json}): the
     * node then checks they are a JSON string, list or object and serves them as JSON in the
     * JSON API too (docs/http-api.md, "How JSON and raw values coexist").
     */
    default boolean json() {
        return false;
    }

    /** The bytes as they are. */
    static Codec<byte[]> bytes() {
        return Codecs.BYTES;
    }

    /** Text as UTF-8 bytes (stored as bytes, not as a JSON string). */
    static Codec<String> utf8() {
        return Codecs.UTF8;
    }

    /** {@code type} as JSON with a default Jackson mapper; the stored value must be a JSON string, list or object. */
    static <T> Codec<T> json(Class<T> type) {
        return new JsonCodec<>(Codecs.JSON_MAPPER, Codecs.JSON_MAPPER.constructType(type));
    }

    /** A generic type as JSON, e.g. {@code Codec.json(new TypeReference<Set<String>>() {})}. */
    static <T> Codec<T> json(TypeReference<T> type) {
        return new JsonCodec<>(Codecs.JSON_MAPPER, Codecs.JSON_MAPPER.constructType(type));
    }

    /** {@code type} as JSON with the application's own mapper (modules, naming, ...). */
    static <T> Codec<T> json(ObjectMapper mapper, Class<T> type) {
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }
}
