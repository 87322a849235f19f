package io.ringkv.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Strict JSON in, compact JSON out. Duplicate fields, trailing garbage and unknown fields are
 * rejected rather than guessed at: a misspelt "contxt" silently ignored would turn an intended
 * overwrite into a sibling. Numbers keep their exact digits (1.50 stays 1.50).
 */
final class JsonBodies {
    // Handlers run on virtual threads, new for every request: Jackson's default per-thread buffer
    // recycling then allocates fresh 8-16 KB buffers for every body (a sixth of all bytes the node
    // allocated, measured). A pool shared by all threads reuses them.
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private JsonBodies() {
    }

    /** The body as a JSON object whose fields are all in {@code allowedFields}. */
    static ObjectNode object(byte[] body, Set<String> allowedFields) {
        JsonNode tree = parse(body, "request body");
        if (!(tree instanceof ObjectNode object)) {
            throw ApiException.badRequest("invalid_request", "request body must be a JSON object, got " + kind(tree));
        }
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowedFields.contains(field)) {
                throw ApiException.badRequest("invalid_request", "unknown field \"" + field + "\" (allowed: "
                        + String.join(", ", allowedFields.stream().sorted().toList()) + ")");
            }
        }
        return object;
    }

    /** Parses {@code bytes} as one JSON value; {@code what} names it in the error. */
    static JsonNode parse(byte[] bytes, String what) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("invalid_json", what + " is empty; expected JSON");
        }
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw ApiException.badRequest("invalid_json", what + " is empty; expected JSON");
            }
            return tree;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw ApiException.badRequest("invalid_json", what + " is not valid JSON" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value a client may store: a string, a list or an object (the design notes' "string, list or object"). */
    static byte[] storableValue(JsonNode value, String field) {
        if (!(value.isTextual() || value.isArray() || value.isObject())) {
            throw ApiException.badRequest("invalid_request", field + " must be a string, a list or an object, got " + kind(value));
        }
        return bytes(value);
    }

    /**
     * {@code {"key":...,"context":...}}, the answer to every write, as Jackson would write it. By
     * hand because it is on every write's path: building and serialising a tree cost about 3% of
     * a node's CPU (docs/performance-notes.md).
     */
    /**
     * A write's reply: {@code {"key":..,"context":..,"acknowledged":{"replicas":R,"hints":H}}}.
     * Built by hand: every put answers with it.
     */
    static byte[] writeReply(String key, String context, int replicas, int hints) {
        StringBuilder json = new StringBuilder(64 + key.length() + context.length());
        json.append("{\"key\":");
        quoted(json, key);
        json.append(",\"context\":");
        quoted(json, context);
        json.append(",\"acknowledged\":{\"replicas\":").append(replicas).append(",\"hints\":").append(hints).append('}');
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal: quote, backslash, control characters and surrogates escaped, as Jackson does. */
    private static void quoted(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) { // Jackson escapes surrogate pairs too
                        json.append(String.format("\\u%04X", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    static byte[] bytes(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** A stored value as it appears inside a JSON response: JSON as itself, bytes as {"base64": ...}. */
    static JsonNode render(StoredValue value) {
        return switch (value) {
            case StoredValue.Json json -> {
                try {
                    yield MAPPER.readTree(json.payload());
                } catch (IOException e) {
                    throw new IllegalStateException("stored JSON value does not parse", e);
                }
            }
            case StoredValue.Binary binary -> MAPPER.createObjectNode()
                    .put("base64", Base64.getEncoder().encodeToString(binary.payload()));
        };
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            default -> node.getNodeType().toString().toLowerCase();
        };
    }
}
