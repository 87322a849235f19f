package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ringkv admin --url URL delete KEY [--context C]}: a versioned delete ({@code POST /api/v1/delete}). */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Deletes KEY: a tombstone superseding what the context of a read covers (pass it with --context).")
final class AdminDeleteCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "KEY", description = "the key (UTF-8)")
    String key;
    @Option(names = "--context", paramLabel = "C", description = "the context of an earlier get (else versions written since stay)")
    String context;
    @Option(names = "--w", paramLabel = "W", description = "write quorum (default: the cluster's)")
    Integer w;

    @Override
    public Integer call() {
        ObjectNode body = JSON.createObjectNode().put("key", key);
        if (context != null) {
            body.put("context", context);
        }
        JsonNode answer = admin.client().post("/api/v1/delete" + (w == null ? "" : "?w=" + w), body, 200);
        AdminWrites.printWritten(spec.commandLine().getOut(), admin.json, answer, "deleted");
        return 0;
    }
}
