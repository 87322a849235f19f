package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** {@code GET /health} and {@code GET /metrics}: the endpoints operators and scrapers call. */
final class StatusHandlers {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private StatusHandlers() {
    }

    /** 200 {"status": "serving", "node": id} while serving; 503 "stopping" once shutdown began. */
    static Handler health(String nodeId, BooleanSupplier serving) {
        return Handler.answering(request -> {
            boolean up = serving.getAsBoolean();
            var body = JsonBodies.MAPPER.createObjectNode().put("status", up ? "serving" : "stopping").put("node", nodeId);
            return ErrorMapping.json(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
        });
    }

    /** The Prometheus text exposition of every meter in {@code registry}. */
    static Handler metrics(PrometheusMeterRegistry registry) {
        return Handler.answering(request -> Reply.of(HttpResponseStatus.OK, PROMETHEUS_TEXT,
                registry.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
