package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.AdminClient;
import io.ringkv.cli.admin.JsonOutput;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ringkv admin --url URL replicas KEY}: the key's preference list, as {@code nodetool getendpoints}. */
@Command(name = "replicas", mixinStandardHelpOptions = true,
        description = "Shows the nodes that replicate KEY, in preference-list order (the first coordinates its writes).")
final class AdminReplicasCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "KEY", description = "the key (UTF-8)")
    String key;

    @Override
    public Integer call() {
        JsonNode answer = admin.client().get("/api/v1/admin/replicas?key=" + AdminClient.query(key));
        PrintWriter out = spec.commandLine().getOut();
        if (admin.json) {
            JsonOutput.print(out, answer);
            return 0;
        }
        List<String> replicas = new ArrayList<>();
        answer.path("replicas").forEach(r -> replicas.add(r.asText()));
        out.println(key + ": " + String.join(", ", replicas));
        out.flush();
        return 0;
    }
}
