package io.ringkv.server.http;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the query parameters of the admin endpoints ({@code /api/v1/admin/...}): a key, a token
 * range, a repair id. Every failure is a 400 invalid_parameter naming what was wrong, before the
 * node is asked anything.
 */
final class AdminParameters {
    private AdminParameters() {
    }

    /** The query holds exactly {@code allowed} parameters at most, each once; a path without any says so plainly. */
    static void only(ApiRequest request, Set<String> allowed) {
        if (allowed.isEmpty() && !request.query().isEmpty()) {
            throw ApiException.badRequest("invalid_parameter", request.rawPath() + " takes no query parameters, got \""
                    + request.query().keySet().iterator().next() + "\"");
        }
        RequestRules.checkParameters(request.query(), allowed);
    }

    /** The required {@code key} parameter as the text given (its UTF-8 bytes are the key), checked like a get's key. */
    static String key(ApiRequest request, RequestRules rules) {
        only(request, Set.of("key"));
        String key = required(request.query(), "key");
        rules.checkKey(key.getBytes(StandardCharsets.UTF_8));
        return key;
    }

    /**
     * The optional {@code range} parameter: {@code FROM:TO}, two 32-hex-digit tokens meaning the
     * ring interval (FROM, TO] as {@link TokenRange} does (wrapping when FROM >= TO; FROM = TO is
     * the whole ring).
     */
    static Optional<TokenRange> range(Map<String, List<String>> query) {
        List<String> values = query.get("range");
        if (values == null) {
            return Optional.empty();
        }
        return Optional.of(parseRange(values.getFirst()));
    }

    static TokenRange parseRange(String text) {
        String[] bounds = text.strip().split(":", -1);
        if (bounds.length != 2) {
            throw ApiException.badRequest("invalid_parameter", "range must be FROM:TO, two tokens of 32 hex digits"
                    + " (the interval (FROM, TO]), got \"" + text + "\"");
        }
        return new TokenRange(token("FROM", bounds[0]), token("TO", bounds[1]));
    }

    private static Token token(String which, String hex) {
        try {
            return Token.parse(hex);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", "range " + which + " is not a token: " + e.getMessage());
        }
    }

    /** The required {@code id} parameter: a repair's number, a whole number from 1. */
    static long repairId(ApiRequest request) {
        only(request, Set.of("id"));
        String text = required(request.query(), "id");
        long id;
        try {
            id = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", "id must be a repair's number (a whole number from 1), got \""
                    + text + "\"");
        }
        if (id < 1) {
            throw ApiException.badRequest("invalid_parameter", "id must be a repair's number (a whole number from 1), got " + id);
        }
        return id;
    }

    private static String required(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null) {
            throw ApiException.badRequest("invalid_parameter", "query parameter \"" + name + "\" is required");
        }
        return values.getFirst();
    }
}
