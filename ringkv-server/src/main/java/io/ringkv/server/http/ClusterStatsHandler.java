package io.ringkv.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/stats/cluster}: every member's {@code /api/v1/stats}, gathered by this node.
 * The dashboard is loaded from one node and asks only that node, so the browser needs no
 * cross-origin access to the others. Members are asked in parallel, each within
 * {@link #PER_NODE_TIMEOUT}; one this node believes DOWN is not asked, and one that does not
 * answer gets an {@code "error"} entry instead of figures, so a dead node never stalls the page.
 * Runs on a virtual thread.
 */
final class ClusterStatsHandler implements Handler, AutoCloseable {
    static final Duration PER_NODE_TIMEOUT = Duration.ofMillis(1_000);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    private final Supplier<ClusterStatus> cluster;
    private final StatsHandler local;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    ClusterStatsHandler(Supplier<ClusterStatus> cluster, StatsHandler local) {
        this.cluster = cluster;
        this.local = local;
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        ClusterStatus status = cluster.get();
        Map<String, CompletableFuture<JsonNode>> answers = new LinkedHashMap<>();
        for (ClusterStatus.Member member : status.members()) {
            if (member.status().equals("LEFT")) {
                continue;
            }
            answers.put(member.id(), member.id().equals(status.self()) ? CompletableFuture.completedFuture(local.localJson())
                    : member.liveness().equals("DOWN") ? CompletableFuture.completedFuture(error("not asked: " + member.id()
                            + " is DOWN in " + status.self() + "'s view"))
                    : ask(member));
        }
        ObjectNode root = JsonBodies.MAPPER.createObjectNode().put("node", status.self());
        ObjectNode nodes = root.putObject("nodes");
        answers.forEach((id, answer) -> nodes.set(id, answer.join()));
        return CompletableFuture.completedFuture(ErrorMapping.json(HttpResponseStatus.OK, root));
    }

    /** The member's stats, or an error entry; never fails, and completes within the timeout. */
    private CompletableFuture<JsonNode> ask(ClusterStatus.Member member) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://" + member.http() + "/api/v1/stats"))
                    .timeout(PER_NODE_TIMEOUT).GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(error("bad HTTP address " + member.http() + ": " + e.getMessage()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> response.statusCode() == 200
                        ? JsonBodies.parse(response.body(), "stats of " + member.id())
                        : error(member.http() + " answered " + response.statusCode()))
                .completeOnTimeout(error("no answer from " + member.http() + " within " + PER_NODE_TIMEOUT.toMillis() + " ms"),
                        PER_NODE_TIMEOUT.toMillis() + 200, java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(failure -> error("cannot reach " + member.http() + ": " + describe(failure)));
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }

    private static ObjectNode error(String message) {
        return JsonBodies.MAPPER.createObjectNode().put("error", message);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
