package io.ringkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP answer of a node: status, raw body, the body as JSON when it is JSON, and the
 * {@code X-Ringkv-Context} header.
 */
public record Reply(int status, String body, JsonNode json, Optional<String> contextHeader) {

    /** The {@code values} of a get answer, each as its JSON text ({@code "v1"} for a string). */
    public List<String> valuesAsJson() {
        List<String> values = new ArrayList<>();
        field("values").forEach(v -> values.add(v.toString()));
        return values;
    }

    /** The {@code values} of a get answer that are JSON strings, as plain strings. */
    public List<String> stringValues() {
        List<String> values = new ArrayList<>();
        field("values").forEach(v -> values.add(v.isTextual() ? v.textValue() : v.toString()));
        return values;
    }

    /** The {@code context} field (get, put and delete answers; tombstone 404s). */
    public String context() {
        JsonNode context = field("context");
        if (!context.isTextual()) {
            throw new AssertionError("answer has no context: " + this);
        }
        return context.textValue();
    }

    /** The {@code error} code of an error answer. */
    public String error() {
        return field("error").asText();
    }

    public String message() {
        return field("message").asText();
    }

    public JsonNode field(String name) {
        if (json == null || !json.has(name)) {
            throw new AssertionError("answer has no \"" + name + "\" field: " + this);
        }
        return json.get(name);
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
