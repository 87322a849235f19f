package io.ringkv.cli;

import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.ClusterViewProbe;
import io.ringkv.cli.cluster.NodeLayout;
import io.ringkv.cli.cluster.NodeProcess;
import io.ringkv.cli.cluster.StatusTable;
import io.ringkv.cli.cluster.StreamingNote;
import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringkv cluster status}: asks every running node of DIR for its view of the cluster
 * ({@code GET /api/v1/cluster}) and prints one table: process, announced status, liveness,
 * heartbeat age and ring share per node, as the first answering node sees them, plus a line when
 * the nodes disagree about the membership.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows each node of the cluster in DIR: pid, HTTP address, status, liveness,",
                "heartbeat age and share of the ring, and whether the nodes agree on the membership."})
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
        ClusterViewProbe probe = new ClusterViewProbe(Duration.ofSeconds(2));
        List<StatusTable.Row> rows = new ArrayList<>();
        for (NodeLayout node : nodes) {
            Optional<ProcessHandle> process = NodeProcess.running(node);
            String pid = process.map(p -> Long.toString(p.pid()))
                    .orElse(NodeProcess.recordedPid(node).map(p -> p + "?").orElse("-"));
            String url;
            try {
                NodeConfig config = NodeConfigLoader.load(node.config());
                url = "http://" + config.http().host() + ":" + config.http().port();
            } catch (ConfigException e) {
                rows.add(new StatusTable.Row(node.id(), pid, "(bad config)", null, e.getMessage()));
                continue;
            }
            if (process.isEmpty()) {
                rows.add(new StatusTable.Row(node.id(), pid, url, null, "not running"));
                continue;
            }
            Optional<com.fasterxml.jackson.databind.JsonNode> view = probe.view(url);
            // a node that joins or leaves says how far its streaming has got
            String note = view.isEmpty() ? "no answer" : probe.streaming(url).map(StreamingNote::describe).orElse("");
            rows.add(new StatusTable.Row(node.id(), pid, url, view.orElse(null), note));
        }
        System.out.print(StatusTable.render(rows));
        return 0;
    }
}
