package io.ringkv.cli;

import io.ringkv.cli.admin.AdminClient;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv admin --url URL status|ring|stats|get|put|delete|replicas|hints|repair|decommission|removenode}:
 * drives one node, anywhere, through its HTTP API (docs/http-api.md; docs/cli.md). The node is named by URL rather than found
 * in a local cluster directory, so the same commands work against a remote cluster.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Asks one node (by its HTTP address) about the cluster, reads and writes keys, repairs and moves data.",
        subcommands = {AdminStatusCommand.class, AdminRingCommand.class, AdminStatsCommand.class,
                AdminGetCommand.class, AdminPutCommand.class, AdminDeleteCommand.class, AdminReplicasCommand.class,
                AdminHintsCommand.class, AdminRepairCommand.class, AdminDecommissionCommand.class,
                AdminRemoveNodeCommand.class})
final class AdminCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "the node's HTTP address, e.g. http://127.0.0.1:8001")
    String url;

    @Option(names = "--json", description = "print what the node answered as JSON (for scripts) instead of tables;"
            + " for status, ring, stats, get, put, delete, replicas and hints")
    boolean json;

    @Option(names = "--request-timeout-seconds", paramLabel = "S", defaultValue = "10",
            description = "give up on a request the node does not answer in this time (default: ${DEFAULT-VALUE})")
    int requestTimeoutSeconds;

    @Override
    public void run() {
        throw Main.missingSubcommand(spec);
    }

    /** The client for the node named by {@code --url}; a malformed URL or timeout is a usage error. */
    AdminClient client() {
        if (requestTimeoutSeconds < 1) {
            throw new CliException("--request-timeout-seconds must be at least 1, got " + requestTimeoutSeconds, CliException.USAGE);
        }
        return new AdminClient(url, Duration.ofSeconds(requestTimeoutSeconds));
    }
}
