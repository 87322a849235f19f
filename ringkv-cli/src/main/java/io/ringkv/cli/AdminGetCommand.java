package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.AdminClient;
import io.ringkv.cli.admin.JsonOutput;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv admin --url URL get KEY}: every concurrent version of the key (its siblings) and
 * the context to write back with, through the node as any client would ({@code GET /api/v1/get}).
 * Exit status 3 when the key is absent or deleted.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Reads KEY: every concurrent version (siblings) and the context to write back with. Exit 3 if absent.")
final class AdminGetCommand implements Callable<Integer> {
    static final int NOT_FOUND = 3;

    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "KEY", description = "the key (UTF-8)")
    String key;
    @Option(names = "--r", paramLabel = "R", description = "read quorum (default: the cluster's)")
    Integer r;

    @Override
    public Integer call() {
        String path = "/api/v1/get?key=" + AdminClient.query(key) + (r == null ? "" : "&r=" + r);
        AdminClient.Answer answer = admin.client().get(path, 200, 404);
        PrintWriter out = spec.commandLine().getOut();
        if (admin.json) {
            JsonOutput.print(out, answer.body());
        } else if (answer.status() == 404) {
            out.println(key + ": not found" + (answer.body().hasNonNull("context")
                    ? " (deleted; write with context " + answer.body().path("context").asText() + " to supersede the delete)" : ""));
        } else {
            JsonNode values = answer.body().path("values");
            out.println(key + ": " + values.size() + (values.size() == 1 ? " version" : " concurrent versions (siblings):"
                    + " merge them and write back with the context"));
            values.forEach(v -> out.println("  " + v));
            out.println("context: " + answer.body().path("context").asText());
        }
        out.flush();
        return answer.status() == 404 ? NOT_FOUND : 0;
    }
}
