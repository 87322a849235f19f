package io.ringkv.cli;

import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.HealthProbe;
import io.ringkv.cli.cluster.NodeConfigTemplate;
import io.ringkv.cli.cluster.NodeLayout;
import io.ringkv.cli.cluster.NodeProcess;
import io.ringkv.server.config.ConfigException;
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
 * {@code ringkv cluster start}: makes sure nodes 1..K of the cluster in DIR are running. A node
 * already running (pid file, live process, our command line) is left alone; any other is
 * (re)started over its existing config and data. Waits until each started node answers /health.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts nodes 1..K as background processes under DIR (one JVM each) and waits until",
                "each answers /health. Nodes already running are left alone; stopped ones are",
                "restarted over their existing config and data."})
final class ClusterStartCommand implements Callable<Integer> {
    /** One node for now; the cluster issue makes 3 the default once nodes talk to each other. */
    static final int DEFAULT_NODES = 1;
    static final int DEFAULT_BASE_PORT = 8000;
    private static final Duration POLL = Duration.ofMillis(100);

    @Option(names = "--nodes", paramLabel = "K", defaultValue = "" + DEFAULT_NODES,
            description = "number of nodes (default: ${DEFAULT-VALUE}; 1..100)")
    int nodes;

    @Option(names = "--dir", paramLabel = "DIR", description = "cluster directory (default: <ringkv.home>/run/cluster, else ./run/cluster)")
    Path dir;

    @Option(names = "--port", paramLabel = "BASE", defaultValue = "" + DEFAULT_BASE_PORT,
            description = "node K serves HTTP on BASE+K (default: ${DEFAULT-VALUE}); used only for new nodes")
    int basePort;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "60",
            description = "how long to wait for each node's /health (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (nodes < 1 || nodes > 100) {
            throw new CliException("--nodes must be between 1 and 100, got " + nodes, CliException.USAGE);
        }
        if (basePort < 1 || basePort + nodes > 65535) {
            throw new CliException("--port must leave room for " + nodes + " node ports below 65536, got " + basePort, CliException.USAGE);
        }
        ClusterDirectory cluster = new ClusterDirectory(dir == null ? ClusterDirectory.defaultRoot() : dir);
        PrintStream out = System.out;
        HealthProbe probe = new HealthProbe(Duration.ofSeconds(1));
        List<String> urls = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            NodeLayout node = cluster.node(k);
            NodeConfigTemplate.writeIfAbsent(node, nodes, basePort + k);
            NodeConfig config = loadConfig(node);
            String url = "http://" + config.http().host() + ":" + config.http().port();
            urls.add(url);
            Optional<ProcessHandle> running = NodeProcess.running(node);
            if (running.isPresent()) {
                out.printf("%-7s already running  pid %-8d %s%n", node.id(), running.get().pid(), url);
                continue;
            }
            NodeProcess.recordedPid(node).ifPresent(pid -> NodeProcess.deletePidFile(node)); // stale
            requirePortFree(node, config);
            ProcessHandle process = NodeProcess.launch(node);
            awaitHealthy(node, process, url, probe, cluster.root());
            out.printf("%-7s started          pid %-8d %s%n", node.id(), process.pid(), url);
        }
        printHowToReach(out, cluster.root(), urls);
        return 0;
    }

    private static NodeConfig loadConfig(NodeLayout node) {
        try {
            return NodeConfigLoader.load(node.config());
        } catch (ConfigException e) {
            throw new CliException(node.config() + ": " + e.getMessage());
        }
    }

    private static void requirePortFree(NodeLayout node, NodeConfig config) {
        try (ServerSocket socket = new ServerSocket(config.http().port(), 1, InetAddress.getByName(config.http().host()))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new CliException(node.id() + ": port " + config.http().port() + " on " + config.http().host()
                    + " is in use by another process (" + e.getMessage() + "); change http.port in " + node.config());
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
            try {
                Thread.sleep(POLL.toMillis()); // polling an external process: there is nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for " + node.id());
            }
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
        out.println();
        out.println("Cluster directory: " + root + " (config, data, node.log per node)");
        out.println("Try:");
        out.println("  curl -s -X POST " + first + "/api/v1/put -H 'Content-Type: application/json' -d '{\"key\":\"hello\",\"value\":\"world\"}'");
        out.println("  curl -s '" + first + "/api/v1/get?key=hello'");
        out.println("Status: ringkv cluster status --dir " + root);
        out.println("Stop:   ringkv cluster stop --dir " + root);
    }
}
