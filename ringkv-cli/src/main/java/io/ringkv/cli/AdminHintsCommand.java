package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.HintsTable;
import io.ringkv.cli.admin.JsonOutput;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ringkv admin --url URL hints}: the hints the node holds for other nodes, a row per target. */
@Command(name = "hints", mixinStandardHelpOptions = true,
        description = "Shows the hints the node holds for other nodes (writes they missed), per target node.")
final class AdminHintsCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode hints = admin.client().get("/api/v1/admin/hints");
        if (admin.json) {
            JsonOutput.print(spec.commandLine().getOut(), hints);
            return 0;
        }
        spec.commandLine().getOut().print(HintsTable.render(hints));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
