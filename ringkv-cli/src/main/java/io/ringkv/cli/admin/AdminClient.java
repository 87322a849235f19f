package io.ringkv.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.cli.CliException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Talks to one node's HTTP API for {@code ringkv admin} (docs/http-api.md, "Admin"). Every
 * failure becomes a {@link CliException} whose message is the one line the operator reads: the
 * node could not be reached (and why), or it answered an error (its status and the JSON error's
 * message), or its answer was not the JSON expected.
 */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param baseUrl the node's HTTP address, e.g. {@code http://127.0.0.1:8001}; without a scheme
     *                it is http, and a trailing slash is ignored
     */
    public AdminClient(String baseUrl, Duration timeout) {
        this.baseUrl = checkUrl(baseUrl);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A JSON answer with one of the statuses the caller accepts. */
    public record Answer(int status, JsonNode body) {
    }

    /** {@code GET path}, expecting 200 with a JSON object. */
    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), path, 200).body();
    }

    /** {@code GET path}, expecting one of {@code accepted} statuses with a JSON object (e.g. 200 or 404 for a key). */
    public Answer get(String path, int... accepted) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), path, accepted);
    }

    /** {@code POST path} with no body, expecting {@code expectedStatus} with a JSON object. */
    public JsonNode post(String path, int expectedStatus) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()), path,
                expectedStatus).body();
    }

    /** {@code POST path} with a JSON body, expecting {@code expectedStatus} with a JSON object. */
    public JsonNode post(String path, JsonNode body, int expectedStatus) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), path, expectedStatus).body();
    }

    private Answer send(HttpRequest.Builder request, String path, int... accepted) {
        HttpResponse<String> response;
        try {
            response = client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new CliException("cannot reach " + baseUrl + ": no connection within " + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new CliException(baseUrl + path + " did not answer within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + baseUrl + ": connection refused (is the node running?)");
        } catch (IOException e) {
            throw new CliException("cannot reach " + baseUrl + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + baseUrl + path);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (java.util.Arrays.stream(accepted).noneMatch(expected -> expected == status)) {
            String message = body != null && body.path("message").isTextual() ? body.path("message").asText()
                    : "(no JSON error in the answer)";
            String code = body != null && body.path("error").isTextual() ? " " + body.path("error").asText() : "";
            throw new CliException(baseUrl + path + " answered " + response.statusCode() + code + ": " + message);
        }
        if (body == null || !body.isObject()) {
            throw new CliException(baseUrl + path + " answered " + response.statusCode() + " without a JSON object;"
                    + " is " + baseUrl + " a ringkv node?");
        }
        return new Answer(response.statusCode(), body);
    }

    /** {@code text} percent-encoded for a query parameter (a key may hold any character). */
    public static String query(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String checkUrl(String url) {
        String trimmed = url.strip();
        if (!trimmed.contains("://")) {
            trimmed = "http://" + trimmed; // "127.0.0.1:8001", as the cluster endpoint prints addresses
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new CliException("--url must be a node's HTTP address like http://127.0.0.1:8001, got \"" + url + "\"",
                    CliException.USAGE);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
            throw new CliException("--url must be a node's HTTP address like http://127.0.0.1:8001, got \"" + url + "\"",
                    CliException.USAGE);
        }
        return trimmed;
    }
}
