package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.cli.admin.AdminClient;
import io.ringkv.cli.admin.HintsTable;
import io.ringkv.cli.admin.JsonOutput;
import io.ringkv.cli.admin.RepairReport;
import io.ringkv.cli.cluster.StatusTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv admin --url URL status}: one node's view of the cluster (members, liveness, ring
 * share: the table of {@code cluster status}), the hints it holds and its recent repairs.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the node's view: members and ring shares, the hints it holds, its recent repairs.")
final class AdminStatusCommand implements Callable<Integer> {
    /** Enough to see the current run and the few before it; the endpoint keeps 20. */
    private static final int REPAIRS_SHOWN = 5;

    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AdminClient client = admin.client();
        // all three asked before anything is printed, so a failure is the one line and nothing else
        JsonNode view = client.get("/api/v1/cluster");
        JsonNode hints = client.get("/api/v1/admin/hints");
        JsonNode repairs = client.get("/api/v1/admin/repairs");
        PrintWriter out = spec.commandLine().getOut();
        if (admin.json) {
            ObjectNode all = new ObjectMapper().createObjectNode();
            all.set("cluster", view);
            all.set("hints", hints);
            all.set("repairs", repairs);
            JsonOutput.print(out, all);
            return 0;
        }
        out.print(StatusTable.renderView(client.baseUrl(), view));
        out.println();
        out.println("Hints:");
        out.print(HintsTable.render(hints));
        out.println();
        out.println("Repairs (newest first):");
        out.print(RepairReport.table(repairs.path("repairs"), REPAIRS_SHOWN));
        out.flush();
        return 0;
    }
}
