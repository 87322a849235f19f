package io.ringkv.cli.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Asks every node of the cluster for its request counters ({@code GET /metrics}) and its view of
 * the membership ({@code GET /api/v1/cluster}). A node that does not answer, or any member that
 * is not NORMAL and UP in some view, makes the membership unsettled: the autoscaler never acts then.
 */
public final class ClusterSampler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param counters           request counters by node URL, for the nodes that answered
     * @param membershipUnsettled null if settled, else what is not, in a few words
     */
    public record Sample(long atNanos, Map<String, RequestCounters> counters, String membershipUnsettled) {
    }

    public ClusterSampler(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Sample sample(List<String> nodeUrls, long atNanos) throws InterruptedException {
        Map<String, RequestCounters> counters = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        TreeSet<String> changing = new TreeSet<>();
        for (String url : nodeUrls) {
            try {
                counters.put(url, RequestCounters.parse(get(url + "/metrics")));
                JsonNode view = JSON.readTree(get(url + "/api/v1/cluster"));
                for (JsonNode member : view.path("members")) {
                    String status = member.path("status").asText();
                    String liveness = member.path("liveness").asText();
                    if (status.equals("LEFT")) {
                        continue; // gone, forgotten later: not a change in progress
                    }
                    if (!status.equals("NORMAL") || !liveness.equals("UP")) {
                        changing.add(member.path("id").asText() + " " + status + "/" + liveness);
                    }
                }
            } catch (IOException e) {
                problems.add(url + " did not answer (" + describe(e) + ")");
            }
        }
        if (!changing.isEmpty()) {
            problems.add(String.join(", ", changing));
        }
        return new Sample(atNanos, counters, problems.isEmpty() ? null : String.join("; ", problems));
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url);
        }
        return r.body();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
