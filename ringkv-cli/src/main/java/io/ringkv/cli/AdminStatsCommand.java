package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.JsonOutput;
import io.ringkv.cli.admin.StatsTable;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ringkv admin --url URL stats [--cluster]}: live request rates, p50/p99, storage and hints. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Shows the node's live figures (requests per second, p50/p99, storage, hints); --cluster for every member.")
final class AdminStatsCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;
    @Option(names = "--cluster", description = "every member's figures, gathered by this node")
    boolean cluster;

    @Override
    public Integer call() {
        JsonNode answer = admin.client().get(cluster ? "/api/v1/stats/cluster" : "/api/v1/stats");
        PrintWriter out = spec.commandLine().getOut();
        if (admin.json) {
            JsonOutput.print(out, answer);
            return 0;
        }
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        if (cluster) {
            for (Iterator<Map.Entry<String, JsonNode>> it = answer.path("nodes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                nodes.put(e.getKey(), e.getValue());
            }
        } else {
            nodes.put(answer.path("node").asText(), answer);
        }
        out.print(StatsTable.render(nodes));
        out.flush();
        return 0;
    }
}
