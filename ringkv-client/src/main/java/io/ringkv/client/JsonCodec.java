package io.ringkv.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** A value as JSON through Jackson; a failure to map is a {@link CodecException}. */
final class JsonCodec<T> implements Codec<T> {
    private final ObjectMapper mapper;
    private final JavaType type;

    JsonCodec(ObjectMapper mapper, JavaType type) {
        this.mapper = mapper;
        this.type = type;
    }

    @Override
    public byte[] encode(T value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new CodecException("cannot write " + type + " as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new CodecException("stored value is not a JSON " + type + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean json() {
        return true;
    }
}
