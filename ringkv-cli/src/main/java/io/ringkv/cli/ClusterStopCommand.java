package io.ringkv.cli;

import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.NodeLayout;
import io.ringkv.cli.cluster.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringkv cluster stop}: SIGTERM each node, wait for a clean exit, SIGKILL after a grace period. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops every node of the cluster in DIR: SIGTERM, then SIGKILL if it has not exited",
                "within the grace period. Data and logs are kept."})
final class ClusterStopCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "cluster directory (default: <ringkv.home>/run/cluster, else ./run/cluster)")
    Path dir;

    @Option(names = "--grace-seconds", paramLabel = "S", defaultValue = "30",
            description = "how long to wait after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE})")
    int graceSeconds;

    @Override
    public Integer call() {
        ClusterDirectory cluster = new ClusterDirectory(dir == null ? ClusterDirectory.defaultRoot() : dir);
        List<NodeLayout> nodes = cluster.existingNodes();
        if (nodes.isEmpty()) {
            throw new CliException("no nodes in " + cluster.root());
        }
        int failures = 0;
        for (NodeLayout node : nodes) {
            long pid = NodeProcess.running(node).map(ProcessHandle::pid).orElse(-1L);
            NodeProcess.Stopped outcome = NodeProcess.stop(node, Duration.ofSeconds(graceSeconds));
            String what = switch (outcome) {
                case NOT_RUNNING -> "was not running";
                case TERMINATED -> "stopped (pid " + pid + ")";
                case KILLED -> "killed after " + graceSeconds + " s without exiting (pid " + pid + "); see " + node.log();
                case STILL_RUNNING -> "could not be stopped (pid " + pid + ")";
            };
            if (outcome == NodeProcess.Stopped.STILL_RUNNING) {
                failures++;
            }
            System.out.printf("%-7s %s%n", node.id(), what);
        }
        return failures == 0 ? 0 : CliException.FAILED;
    }
}
