package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ringkv admin --url URL delete KEY [--context C]}: a versioned delete ({@code POST /api/v1/delete}). */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Deletes KEY: a tombstone superseding what the context of a read covers (pass it with --context).")
final class AdminDeleteCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "KEY", description = "the key (UTF-8)")
    String key;
    @Mixin
    AdminWriteOptions write;

    @Override
    public Integer call() {
        JsonNode answer = admin.client().post(write.path("/api/v1/delete"), write.body(key), 200);
        AdminWrites.printWritten(spec.commandLine().getOut(), admin.json, answer, "deleted");
        return 0;
    }
}
