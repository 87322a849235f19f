package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.cli.admin.AdminClient;
import io.ringkv.cli.admin.JsonOutput;
import io.ringkv.cli.admin.RingTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ringkv admin --url URL ring [--tokens]}: members, placement, tokens and ownership, as the node sees them. */
@Command(name = "ring", mixinStandardHelpOptions = true,
        description = "Shows the ring as the node sees it: members, status, liveness, tokens, share owned; --tokens lists them.")
final class AdminRingCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;
    @Option(names = "--tokens", description = "also list every node's tokens (32 hex digits each)")
    boolean tokens;

    @Override
    public Integer call() {
        AdminClient client = admin.client();
        JsonNode cluster = client.get("/api/v1/cluster");
        JsonNode ring = tokens || admin.json ? client.get("/api/v1/ring") : null;
        PrintWriter out = spec.commandLine().getOut();
        if (admin.json) {
            ObjectNode both = new ObjectMapper().createObjectNode();
            both.set("cluster", cluster);
            both.set("ring", ring);
            JsonOutput.print(out, both);
            return 0;
        }
        out.print(RingTable.render(cluster, ring));
        out.flush();
        return 0;
    }
}
