package io.ringkv.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The one table that gives a node's answer its meaning (the client side of the server's
 * {@code ErrorMapping}, docs/http-api.md "Errors"):
 *
 * <pre>
 *   200                       one version (read) or the new context (write)
 *   300                       siblings: {"versions": [{"contentType", "base64" | "value"}], "context"}
 *   404 not_found             absent (a read); the tombstone's context if the key was deleted
 *   400, 413, 414, 431        InvalidRequestException
 *   503 quorum_not_met        QuorumNotMetException (+ required, acknowledged)
 *   503 overloaded            ServerOverloadedException
 *   anything else             RingkvServerException
 * </pre>
 */
final class ResponseMapping {
    /**
     * Built on first use, not with this class: a read of one version and a write's answer need no
     * JSON, and building a mapper costs a fresh client's first request ~100 ms.
     */
    private static final class Json {
        /** Exact decimals: a JSON sibling's "1.50" comes back as 1.50, as the node stored it. */
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    private ResponseMapping() {
    }

    static Versions versions(RawResponse r) {
        return switch (r.status()) {
            case 200 -> new Versions(List.of(new Version(r.body(), r.isJson())), r.context());
            case 300 -> siblings(r);
            case 404 -> {
                JsonNode body = parseOrNull(r);
                if (body == null || !"not_found".equals(body.path("error").asText())) {
                    throw error(r);
                }
                yield Versions.absent(r.context() != null ? r.context() : body.path("context").asText(""));
            }
            default -> throw error(r);
        };
    }

    /** The context a successful write answered with. */
    static String writtenContext(RawResponse r) {
        if (r.status() != 200) {
            throw error(r);
        }
        if (r.context() != null) {
            return r.context();
        }
        JsonNode body = parseOrNull(r);
        if (body == null || !body.path("context").isTextual()) {
            throw new RingkvException("write answer from " + r.node() + " has no context: " + abbreviate(r.bodyText()));
        }
        return body.path("context").asText();
    }

    private static Versions siblings(RawResponse r) {
        JsonNode body = parseOrNull(r);
        if (body == null || !body.path("versions").isArray()) {
            throw new RingkvException("300 answer from " + r.node() + " without a versions list: " + abbreviate(r.bodyText()));
        }
        List<Version> versions = new ArrayList<>(body.path("versions").size());
        try {
            for (JsonNode v : body.path("versions")) {
                if (v.has("base64")) {
                    versions.add(new Version(Base64.getDecoder().decode(v.path("base64").asText()), false));
                } else if (v.has("value")) {
                    versions.add(new Version(Json.MAPPER.writeValueAsBytes(v.get("value")), true));
                } else {
                    throw new RingkvException("version without base64 or value from " + r.node() + ": " + v);
                }
            }
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new RingkvException("unreadable sibling listing from " + r.node() + ": " + e.getMessage(), e);
        }
        String context = r.context() != null ? r.context() : body.path("context").asText("");
        return new Versions(versions, context);
    }

    /** The exception for an error answer. */
    static RingkvException error(RawResponse r) {
        JsonNode body = parseOrNull(r);
        String code = body != null && body.path("error").isTextual() ? body.path("error").asText() : "http_" + r.status();
        String message = body != null && body.path("message").isTextual() ? body.path("message").asText()
                : abbreviate(r.bodyText());
        return switch (r.status()) {
            case 400, 413, 414, 431 -> new InvalidRequestException(r.status(), code, message, r.node());
            case 503 -> switch (code) {
                case "quorum_not_met" -> new QuorumNotMetException(body.path("required").asInt(-1),
                        body.path("acknowledged").asInt(-1), message, r.node());
                case "overloaded" -> new ServerOverloadedException(message, r.node());
                default -> new RingkvServerException(r.status(), code, message, r.node());
            };
            default -> new RingkvServerException(r.status(), code, message, r.node());
        };
    }

    private static JsonNode parseOrNull(RawResponse r) {
        if (r.body().length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(r.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
