package io.ringkv.cli.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a node's {@code GET /health}; one short-timeout request per call, never retried here. */
public final class HealthProbe {
    private final HttpClient client;
    private final Duration timeout;

    public HealthProbe(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * "serving", "stopping", "refused" (another process holds the node's id: see the node's log),
     * "down" (no answer) or "http NNN" (unexpected status).
     */
    public String check(String baseUrl) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("\"serving\"")) {
                return "serving";
            }
            if (r.statusCode() == 503) {
                return r.body().contains("\"refused\"") ? "refused" : "stopping";
            }
            return "http " + r.statusCode();
        } catch (IOException e) {
            return "down";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down";
        }
    }

    public boolean isServing(String baseUrl) {
        return check(baseUrl).equals("serving");
    }
}
