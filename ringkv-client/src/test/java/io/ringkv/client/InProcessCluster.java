package io.ringkv.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.server.RingkvNode;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real multi-node cluster in this JVM: node K serves HTTP and peers on 127.0.0.K (ports in
 * 9760-9799, the range these tests may use), gossips every 100 ms, node1 is the seed. For the
 * partition-aware client's tests, which need keys whose preference list leaves some nodes out.
 */
final class InProcessCluster implements AutoCloseable {
    private static final String SECRET = "client-test-cluster-secret-01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    /** The {@code replication:} section's settings, e.g. {@code n: 2, r: 1, w: 1}. */
    private final String replication;
    /** Node K's data center and rack, {@code "dc/rack"}, at index K-1; nodes beyond it take the defaults. */
    private final List<String> placements;
    private final List<RingkvNode> nodes = new ArrayList<>();
    private final List<RingkvClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String seed;

    private InProcessCluster(Path dir, String replication, List<String> placements) {
        this.dir = dir;
        this.replication = replication;
        this.placements = List.copyOf(placements);
    }

    /** {@code size} nodes, N = {@code replicas}, R = W = 1; returns once every node sees every other owning tokens. */
    static InProcessCluster start(Path dir, int size, int replicas) {
        return start(dir, size, "n: %d, r: 1, w: 1".formatted(replicas), List.of());
    }

    /**
     * {@code placements.size()} nodes, node K in the data center and rack {@code "dc/rack"} at
     * index K-1, with the {@code replication:} settings {@code replication}.
     */
    static InProcessCluster start(Path dir, List<String> placements, String replication) {
        return start(dir, placements.size(), replication, placements);
    }

    private static InProcessCluster start(Path dir, int size, String replication, List<String> placements) {
        InProcessCluster cluster = new InProcessCluster(dir, replication, placements);
        try {
            for (int k = 1; k <= size; k++) {
                cluster.startNode(k);
            }
            cluster.awaitRingOf(size);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts node {@code k} (joining through node1) and waits until every running node's ring has it. */
    void join(int k) {
        startNode(k);
        awaitRingOf(nodes.size());
    }

    private void startNode(int k) {
        String host = "127.0.0." + k;
        int httpPort = freePort(host, 9760, 9779);
        int peerPort = freePort(host, 9780, 9799);
        if (seed == null) {
            seed = host + ":" + peerPort;
        }
        String placement = "";
        if (k <= placements.size()) {
            String[] dcAndRack = placements.get(k - 1).split("/");
            placement = ", dataCenter: %s, rack: %s".formatted(dcAndRack[0], dcAndRack[1]);
        }
        String yaml = """
                node: {id: node%d}
                http: {host: %s, port: %d}
                cluster: {peerHost: %s, peerPort: %d, seeds: ["%s"], secret: %s, gossip: {interval: 100ms, suspectAfter: 2s}%s}
                replication: {%s}
                antiEntropy: {enabled: false}
                """.formatted(k, host, httpPort, host, peerPort, seed, SECRET, placement, replication);
        Path data = dir.resolve("node" + k).toAbsolutePath();
        nodes.add(RingkvNode.start(NodeConfigLoader.parse(yaml, data).withDataDirectory(data)));
    }

    private void awaitRingOf(int owners) {
        await(owners + " nodes own tokens in every node's ring", () -> nodes.stream().allMatch(n -> {
            String ring = get(URI.create(n.baseUrl()), "/api/v1/ring");
            return ring != null && ring.split("\"id\"").length - 1 == owners;
        }));
    }

    URI uri(int k) {
        return URI.create(nodes.get(k - 1).baseUrl());
    }

    String id(int k) {
        return "node" + k;
    }

    int size() {
        return nodes.size();
    }

    /** Stops node {@code k} (closes it); the others see it DOWN after a few seconds. */
    void stop(int k) {
        nodes.get(k - 1).close();
    }

    /**
     * A partition-aware client given only node1 (the others come from the ring), refreshing every
     * 200 ms; returns once it has learned the ring. Closed with the cluster.
     */
    RingkvClient partitionAwareClient() {
        RingkvClient client = RingkvClient.builder().nodes(List.of(uri(1))).partitionAware(true)
                .ringRefreshInterval(Duration.ofMillis(200)).build();
        clients.add(client);
        await("the client learned the ring", () -> client.ringVersion().isPresent());
        return client;
    }

    /** {@code key}'s preference list as node {@code k} answers {@code GET /api/v1/admin/replicas} (a URL-safe key). */
    List<String> replicasAt(int k, String key) {
        List<String> replicas = new ArrayList<>();
        try {
            JSON.readTree(get(uri(k), "/api/v1/admin/replicas?key=" + key)).path("replicas").forEach(n -> replicas.add(n.asText()));
        } catch (IOException e) {
            throw new AssertionError("node" + k + "'s replicas of " + key + ": " + e, e);
        }
        return replicas;
    }

    /** Writes forwarded by a node that was not a replica of their key ({@code ringkv_coordinator_forwards_total}), over every node. */
    double forwards() {
        double sum = 0;
        for (int k = 1; k <= size(); k++) {
            sum += metric(k, "ringkv_coordinator_forwards_total");
        }
        return sum;
    }

    /** The sum of a Prometheus series of node {@code k} whose labels contain every one of {@code labelFilters}. */
    double metric(int k, String name, String... labelFilters) {
        String text = get(uri(k), "/metrics");
        double sum = 0;
        for (String line : text.lines().toList()) {
            int brace = line.indexOf('{');
            if (line.startsWith("#") || brace < 0 || !line.substring(0, brace).equals(name)) {
                continue;
            }
            String labels = line.substring(brace, line.lastIndexOf('}') + 1);
            if (Arrays.stream(labelFilters).allMatch(labels::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The body of a 200 answer to GET {@code path}, or null. */
    String get(URI node, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} (real gossip on a real clock) for at most 60 s. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int freePort(String host, int from, int to) {
        for (int port = from; port <= to; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        throw new AssertionError("no free port in " + from + "-" + to + " on " + host);
    }

    @Override
    public void close() {
        clients.forEach(RingkvClient::close);
        for (RingkvNode node : nodes) {
            try {
                node.close();
            } catch (RuntimeException ignored) {
                // already stopped
            }
        }
    }
}
