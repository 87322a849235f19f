package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.AdminClient;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv admin --url URL removenode NODE_ID}: the node at URL removes NODE_ID, which is
 * down for good, from the ring ({@code POST /api/v1/admin/removenode?node=NODE_ID}); the nodes
 * that take its ranges over fill them from the surviving replicas by anti-entropy
 * (docs/design/membership.md). Exit 0 once announced; 1 with one line when refused (the node is
 * not DOWN, unknown, owns nothing).
 */
@Command(name = "removenode", mixinStandardHelpOptions = true,
        description = {"Removes NODE_ID, a node that is DOWN and will not come back, from the ring; its ranges are",
                "re-replicated from the surviving replicas."})
final class AdminRemoveNodeCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NODE_ID", description = "the id of the dead node, as /api/v1/cluster lists it")
    String nodeId;

    @Override
    public Integer call() {
        AdminClient client = admin.client();
        JsonNode answer = client.post("/api/v1/admin/removenode?node=" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8), 200);
        PrintWriter out = spec.commandLine().getOut();
        out.println(answer.path("message").asText("node " + nodeId + " removed"));
        out.flush();
        return 0;
    }
}
