package io.ringkv.cli;

import io.ringkv.cli.admin.HintsTable;
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
        spec.commandLine().getOut().print(HintsTable.render(admin.client().get("/api/v1/admin/hints")));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
