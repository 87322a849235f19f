package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code GET /health} and {@code GET /metrics}: the endpoints operators and scrapers call. */
final class StatusHandlers {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private StatusHandlers() {
    }

    /**
     * 200 {"status": "serving", "node": id} while serving; 503 "stopping" once shutdown began; 503
     * "refused" while another process holds this node's id and this one serves nothing. When a
     * process claiming the id was found, the answer carries it as "idConflict" (also on 200: the
     * process that keeps the id still serves, and the operator still has a process to stop).
     */
    static Handler health(String nodeId, BooleanSupplier serving, Supplier<Optional<ClusterStatus.IdConflict>> idConflict) {
        return Handler.answering(request -> {
            ClusterStatus.IdConflict conflict = idConflict.get().orElse(null);
            String status = !serving.getAsBoolean() ? "stopping"
                    : conflict != null && conflict.thisNodeRefused() ? "refused" : "serving";
            var body = JsonBodies.MAPPER.createObjectNode().put("status", status).put("node", nodeId);
            if (conflict != null) {
                ClusterHandler.putIdConflict(body, conflict);
            }
            return ErrorMapping.json(status.equals("serving") ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    body);
        });
    }

    /** The Prometheus text exposition of every meter in {@code registry}. */
    static Handler metrics(PrometheusMeterRegistry registry) {
        return Handler.answering(request -> Reply.of(HttpResponseStatus.OK, PROMETHEUS_TEXT,
                registry.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
