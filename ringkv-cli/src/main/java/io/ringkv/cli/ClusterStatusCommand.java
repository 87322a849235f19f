package io.ringkv.cli;

import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.HealthProbe;
import io.ringkv.cli.cluster.NodeLayout;
import io.ringkv.cli.cluster.NodeProcess;
import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringkv cluster status}: one row per node: id, pid, running?, HTTP URL, health. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows each node of the cluster in DIR.")
final class ClusterStatusCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "cluster directory (default: <ringkv.home>/run/cluster, else ./run/cluster)")
    Path dir;

    @Override
    public Integer call() {
        ClusterDirectory cluster = new ClusterDirectory(dir == null ? ClusterDirectory.defaultRoot() : dir);
        List<NodeLayout> nodes = cluster.existingNodes();
        if (nodes.isEmpty()) {
            throw new CliException("no nodes in " + cluster.root() + " (start some with 'ringkv cluster start --dir " + cluster.root() + "')");
        }
        HealthProbe probe = new HealthProbe(Duration.ofSeconds(2));
        System.out.printf("%-7s %-8s %-8s %-28s %s%n", "NODE", "PID", "RUNNING", "HTTP", "HEALTH");
        for (NodeLayout node : nodes) {
            Optional<ProcessHandle> process = NodeProcess.running(node);
            String url;
            String health;
            try {
                NodeConfig config = NodeConfigLoader.load(node.config());
                url = "http://" + config.http().host() + ":" + config.http().port();
                health = process.isPresent() ? probe.check(url) : "-";
            } catch (ConfigException e) {
                url = "(bad config)";
                health = e.getMessage();
            }
            String pid = process.map(p -> Long.toString(p.pid()))
                    .orElse(NodeProcess.recordedPid(node).map(p -> p + "?").orElse("-"));
            System.out.printf("%-7s %-8s %-8s %-28s %s%n", node.id(), pid, process.isPresent() ? "yes" : "no", url, health);
        }
        return 0;
    }
}
