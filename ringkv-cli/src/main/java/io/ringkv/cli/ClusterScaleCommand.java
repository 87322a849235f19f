package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.AdminClient;
import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.ClusterViewProbe;
import io.ringkv.cli.cluster.NodeLayout;
import io.ringkv.cli.cluster.NodeProcess;
import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv cluster scale --nodes K}: grows or shrinks the local cluster in DIR to nodes
 * 1..K. Growing starts the missing nodes ({@code cluster start --nodes K}): each joins, streams
 * the ranges it will replicate and becomes NORMAL. Shrinking decommissions the highest-numbered
 * running nodes one at a time: each hands its ranges over, leaves and stops, with a progress
 * line whenever it moved; its directory is then removed (a node that left never rejoins with its
 * old data). Reads and writes go on throughout.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Grows (joins) or shrinks (decommissions, one at a time) the local cluster in DIR to nodes 1..K,",
                "with progress; data moves with every change."})
final class ClusterScaleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "K", required = true, description = "nodes wanted (1..100)")
    int nodes;

    @Option(names = "--dir", paramLabel = "DIR", description = "cluster directory (default: <ringkv.home>/run/cluster, else ./run/cluster)")
    Path dir;

    @Option(names = "--poll-millis", paramLabel = "MS", defaultValue = "1000",
            description = "how often to ask a leaving node for progress (default: ${DEFAULT-VALUE})")
    long pollMillis;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "3600",
            description = "how long one node may take to leave (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (nodes < 1 || nodes > 100) {
            throw new CliException("--nodes must be between 1 and 100, got " + nodes, CliException.USAGE);
        }
        ClusterDirectory cluster = new ClusterDirectory(dir == null ? ClusterDirectory.defaultRoot() : dir);
        List<NodeLayout> running = cluster.existingNodes().stream().filter(n -> NodeProcess.running(n).isPresent()).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (running.isEmpty()) {
            throw new CliException("no node of " + cluster.root() + " is running; start the cluster with 'ringkv cluster start"
                    + " --nodes " + nodes + (dir == null ? "" : " --dir " + dir) + "'");
        }
        int highest = running.stream().mapToInt(NodeLayout::index).max().orElseThrow();
        if (nodes >= highest) {
            out.printf("growing %s from %d to %d nodes%n", cluster.root(), running.size(), nodes);
            out.flush();
            // New nodes get ports after the running ones': the base port the first running node was given.
            NodeLayout first = running.getFirst();
            int basePort = httpPort(first) - first.index();
            return new CommandLine(new ClusterStartCommand()).execute("--nodes", Integer.toString(nodes), "--dir",
                    cluster.root().toString(), "--port", Integer.toString(basePort));
        }
        out.printf("shrinking %s from %d to %d nodes, one decommission at a time%n", cluster.root(), running.size(), nodes);
        out.flush();
        List<NodeLayout> leaving = running.stream().filter(n -> n.index() > nodes)
                .sorted(Comparator.comparingInt(NodeLayout::index).reversed()).toList();
        for (NodeLayout node : leaving) {
            decommission(node, running, out);
        }
        out.printf("the cluster in %s has nodes 1..%d%n", cluster.root(), nodes);
        out.flush();
        return 0;
    }

    private void decommission(NodeLayout node, List<NodeLayout> running, PrintWriter out) throws InterruptedException {
        AdminClient client = new AdminClient(url(node), Duration.ofSeconds(10));
        JsonNode progress = client.post("/api/v1/admin/decommission", 202);
        out.printf("%s: decommissioning (%s)%n", node.id(), client.baseUrl());
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<String> others = running.stream().filter(n -> !n.equals(node)).map(ClusterScaleCommand::url).toList();
        ClusterViewProbe probe = new ClusterViewProbe(Duration.ofSeconds(2));
        AdminDecommissionCommand.followUntilDone(client, progress, out, node.id() + ": ", pollMillis, deadline, timeoutSeconds,
                () -> probe.seenLeft(node.id(), others));
        while (NodeProcess.running(node).isPresent()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new CliException(node.id() + " has left the ring but its process still runs after " + timeoutSeconds + " s");
            }
            Thread.sleep(pollMillis);
        }
        deleteRecursively(node.dir());
        out.printf("%s: left the cluster and stopped; %s removed%n", node.id(), node.dir());
        out.flush();
    }

    private static String url(NodeLayout node) {
        NodeConfig config = config(node);
        return "http://" + config.http().host() + ":" + config.http().port();
    }

    private static int httpPort(NodeLayout node) {
        return config(node).http().port();
    }

    private static NodeConfig config(NodeLayout node) {
        try {
            return NodeConfigLoader.load(node.config());
        } catch (ConfigException e) {
            throw new CliException(node.config() + ": " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
