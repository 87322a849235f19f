package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.ConfigOverrides;
import io.ringkv.cli.cluster.ClusterViewProbe;
import io.ringkv.cli.cluster.HealthProbe;
import io.ringkv.cli.cluster.ClusterSecret;
import io.ringkv.cli.cluster.NodeConfigTemplate;
import io.ringkv.cli.cluster.NodeJvmOptions;
import io.ringkv.cli.cluster.NodeLayout;
import io.ringkv.cli.cluster.NodeProcess;
import io.ringkv.cli.cluster.StreamingNote;
import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.MemoryOverrides;
import io.ringkv.server.config.JvmMemoryOptions;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringkv cluster start}: makes sure nodes 1..K of the local cluster in DIR are running. A
 * node already running (pid file, live process, our command line) is left alone; any other is
 * (re)started over its existing config and data. Waits until each started node answers /health,
 * then until the nodes have formed one ring, and prints how to reach them.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts nodes 1..K as background processes under DIR (one JVM each, inter-node traffic",
                "on 127.0.0.K), waits until each answers /health and until they form one ring.",
                "Nodes already running are left alone; stopped ones are restarted over their",
                "existing config and data."})
final class ClusterStartCommand implements Callable<Integer> {
    static final int DEFAULT_NODES = 3;
    static final int DEFAULT_BASE_PORT = 8000;
    /** The operator's JVM options for the nodes it starts; they come last and win. */
    static final String OPERATOR_OPTIONS_ENV = "RINGKV_NODE_JAVA_OPTS";
    private static final Duration POLL = Duration.ofMillis(100);

    @Option(names = "--nodes", paramLabel = "K", defaultValue = "" + DEFAULT_NODES,
            description = "number of nodes (default: ${DEFAULT-VALUE}; 1..100)")
    int nodes;

    @Option(names = "--data-centers", paramLabel = "D", defaultValue = "1",
            description = "spread the nodes over D data centers, node K in dc((K-1) mod D + 1), with 2 replicas of each key"
                    + " in each and local-quorum requests by default (default: ${DEFAULT-VALUE}; 1..K); used only for new nodes")
    int dataCenters;

    @Option(names = "--dir", paramLabel = "DIR", description = "cluster directory (default: <ringkv.home>/run/cluster, else ./run/cluster)")
    Path dir;

    @Option(names = "--port", paramLabel = "BASE", defaultValue = "" + DEFAULT_BASE_PORT,
            description = "node K serves HTTP on 127.0.0.1:BASE+K and talks to peers on 127.0.0.K:BASE+1000+K"
                    + " (default: ${DEFAULT-VALUE}); used only for new nodes")
    int basePort;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "each node's memory, e.g. 300m or 2g (default: node.memory of its ringkv.yaml, 300m unless set):"
                    + " heap, direct buffers, block cache and memtables are sized from it (docs/configuration.md, \"Memory\")")
    String memory;

    @Option(names = "--heap", paramLabel = "SIZE",
            description = "each node's fixed heap, -Xms = -Xmx, overriding the one derived from the memory; it holds the"
                    + " block cache and the memtables")
    String heap;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = {"a setting for the configuration files this command creates, e.g.",
                    "--set storage.sync.policy=periodic (repeatable; keys as in docs/configuration.md);",
                    "nodes that already have a configuration keep theirs"})
    List<String> settings = new ArrayList<>();
    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "60",
            description = "how long to wait for each node's /health, and for the ring without progress (a joiner's streaming counts as progress; default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (nodes < 1 || nodes > 100) {
            throw new CliException("--nodes must be between 1 and 100, got " + nodes, CliException.USAGE);
        }
        if (dataCenters < 1 || dataCenters > nodes) {
            throw new CliException("--data-centers must be between 1 and --nodes (" + nodes + "): every data center needs a"
                    + " node, got " + dataCenters, CliException.USAGE);
        }
        if (basePort < 1 || NodeConfigTemplate.peerPort(basePort, nodes) > 65535) {
            throw new CliException("--port must leave room for " + nodes + " HTTP ports and " + nodes
                    + " peer ports (BASE+1000+K) below 65536, got " + basePort, CliException.USAGE);
        }
        ConfigOverrides overrides;
        try {
            overrides = ConfigOverrides.parse(settings);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliException.USAGE);
        }
        List<String> fileOptions = fileJvmOptions();
        List<String> operatorOptions = NodeJvmOptions.split(System.getenv(OPERATOR_OPTIONS_ENV));
        MemoryOverrides memoryOverrides = memoryOverrides(fileOptions, operatorOptions);
        ClusterDirectory cluster = new ClusterDirectory(dir == null ? ClusterDirectory.defaultRoot() : dir);
        PrintStream out = System.out;
        HealthProbe probe = new HealthProbe(Duration.ofSeconds(1));
        List<String> urls = new ArrayList<>();
        String secret = ClusterSecret.readOrCreate(cluster);
        for (int k = 1; k <= nodes; k++) {
            NodeLayout node = cluster.node(k);
            boolean written = NodeConfigTemplate.writeIfAbsent(node, nodes, dataCenters, basePort, secret);
            if (written && !overrides.isEmpty()) {
                overrides.applyTo(node.config());
            } else if (!overrides.isEmpty() && NodeProcess.running(node).isEmpty()) {
                out.printf("%-7s keeps its existing %s: --set applies only to configurations this command creates%n",
                        node.id(), node.config());
            }
            NodeConfig config = loadConfig(node, memoryOverrides);
            String url = "http://" + config.http().host() + ":" + config.http().port();
            urls.add(url);
            Optional<ProcessHandle> running = NodeProcess.running(node);
            if (running.isPresent()) {
                out.printf("%-7s already running  pid %-8d %s%n", node.id(), running.get().pid(), url);
                continue;
            }
            NodeProcess.recordedPid(node).ifPresent(pid -> NodeProcess.deletePidFile(node)); // stale
            requirePortFree(node, "http.port", config.http().host(), config.http().port());
            requirePortFree(node, "cluster.peerPort", config.cluster().peerHost(), config.cluster().peerPort());
            ProcessHandle process = NodeProcess.launch(node, NodeConfigTemplate.coresPerNode(nodes),
                    NodeJvmOptions.forNode(fileOptions, config.memory(), operatorOptions),
                    List.of("--memory", JvmMemoryOptions.format(config.memory().memoryBytes())));
            awaitHealthy(node, process, url, probe, cluster.root());
            out.printf("%-7s started          pid %-8d %s%n", node.id(), process.pid(), url);
        }
        awaitRing(out, urls, cluster.root());
        printHowToReach(out, cluster.root(), urls);
        return 0;
    }

    private static List<String> fileJvmOptions() {
        try {
            return NodeJvmOptions.fromHome(System.getProperty("ringkv.home"));
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage());
        }
    }

    private MemoryOverrides memoryOverrides(List<String> fileOptions, List<String> operatorOptions) {
        List<String> others = new ArrayList<>(fileOptions);
        others.addAll(operatorOptions);
        try {
            return NodeJvmOptions.overrides(memory, heap, others);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliException.USAGE);
        }
    }

    /** The node's configuration with the memory plan it will be started with. */
    private static NodeConfig loadConfig(NodeLayout node, MemoryOverrides overrides) {
        try {
            return NodeConfigLoader.load(node.config(), overrides);
        } catch (ConfigException e) {
            throw new CliException(node.config() + ": " + e.getMessage());
        }
    }

    private static void requirePortFree(NodeLayout node, String key, String host, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new CliException(node.id() + ": port " + port + " on " + host + " is in use by another process ("
                    + e.getMessage() + "); change " + key + " in " + node.config());
        }
    }

    /**
     * Waits until every node answers GET /api/v1/cluster with at least K members NORMAL and UP and
     * none still JOINING, so that the first write works (W replicas must own tokens). Members of
     * the directory beyond K that are down do not hold it up. Prints progress when it changes,
     * including each joiner's streaming; the timeout counts from the last progress, so a join
     * streaming a large data set is followed to its end while it advances.
     */
    private void awaitRing(PrintStream out, List<String> urls, Path root) {
        ClusterViewProbe probe = new ClusterViewProbe(Duration.ofSeconds(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String lastProgress = "";
        while (true) {
            int ready = Integer.MAX_VALUE;
            boolean joining = false;
            StringBuilder streaming = new StringBuilder();
            for (String url : urls) {
                Optional<JsonNode> view = probe.view(url);
                ready = Math.min(ready, view.map(ClusterStartCommand::normalAndUp).orElse(0));
                joining |= view.map(ClusterStartCommand::anyJoining).orElse(true);
                probe.streaming(url).filter(p -> p.path("kind").asText().equals("join")).map(StreamingNote::describe)
                        .filter(note -> !note.isEmpty())
                        .ifPresent(note -> streaming.append("; ").append(view.map(v -> v.path("self").asText()).orElse(url))
                                .append(' ').append(note));
            }
            if (ready >= urls.size() && !joining) {
                out.println("ring formed: every node sees " + ready + " nodes owning tokens and up");
                return;
            }
            String progress = "waiting for the ring: " + Math.min(ready, urls.size()) + " of " + urls.size()
                    + " nodes own tokens and are up" + streaming;
            if (!progress.equals(lastProgress)) {
                out.println(progress);
                lastProgress = progress;
                deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("the nodes did not form one ring within " + timeoutSeconds + " s without progress;"
                        + " see the node.log files under " + root + " and 'ringkv cluster status --dir " + root + "'");
            }
            sleep(Duration.ofMillis(250), "the ring");
        }
    }

    private static int normalAndUp(JsonNode view) {
        int count = 0;
        for (JsonNode m : view.path("members")) {
            if (m.path("status").asText().equals("NORMAL") && m.path("liveness").asText().equals("UP")) {
                count++;
            }
        }
        return count;
    }

    private static boolean anyJoining(JsonNode view) {
        for (JsonNode m : view.path("members")) {
            if (m.path("status").asText().equals("JOINING") && !m.path("liveness").asText().equals("DOWN")) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration d, String what) {
        try {
            Thread.sleep(d.toMillis()); // polling external processes: there is nothing to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + what);
        }
    }

    private void awaitHealthy(NodeLayout node, ProcessHandle process, String url, HealthProbe probe, Path root) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                NodeProcess.deletePidFile(node);
                throw new CliException(node.id() + " exited before answering " + url + "/health; see " + node.log()
                        + lastLines(node.log()));
            }
            if (probe.isServing(url)) {
                return;
            }
            sleep(POLL, node.id());
        }
        throw new CliException(node.id() + " (pid " + process.pid() + ") did not answer " + url + "/health within "
                + timeoutSeconds + " s; see " + node.log() + ". It is still running: stop it with 'ringkv cluster stop --dir "
                + root + "'");
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return tail.isEmpty() ? "" : "; last lines:\n  " + String.join("\n  ", tail);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void printHowToReach(PrintStream out, Path root, List<String> urls) {
        String first = urls.getFirst();
        String other = urls.get(urls.size() > 1 ? 1 : 0);
        out.println();
        out.println("Cluster directory: " + root + " (config, data, node.log per node)");
        out.println("Any node serves any key: " + String.join(" ", urls));
        out.println("Try (write through one node, read through another):");
        out.println("  curl -s -X POST " + first + "/api/v1/put -H 'Content-Type: application/json' -d '{\"key\":\"hello\",\"value\":\"world\"}'");
        out.println("  curl -s '" + other + "/api/v1/get?key=hello'");
        out.println("  curl -s " + first + "/api/v1/cluster");
        out.println("Status: ringkv cluster status --dir " + root);
        out.println("Stop:   ringkv cluster stop --dir " + root);
    }
}
