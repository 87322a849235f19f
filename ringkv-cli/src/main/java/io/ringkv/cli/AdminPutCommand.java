package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv admin --url URL put KEY VALUE [--context C]}: writes through the node as any client
 * would ({@code POST /api/v1/put}). Without the context of a read the value becomes a sibling of
 * what is stored (Dynamo's rule); the answer's context covers the version written.
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = "Writes VALUE under KEY; pass the context of a read to supersede the versions it saw.")
final class AdminPutCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "KEY", description = "the key (UTF-8)")
    String key;
    @Parameters(index = "1", paramLabel = "VALUE", description = "a string, or with --json-value a JSON string, list or object")
    String value;
    @Option(names = "--json-value", description = "VALUE is JSON (a list or an object, e.g. '[\"apple\",\"pear\"]')")
    boolean jsonValue;
    @Mixin
    AdminWriteOptions write;

    @Override
    public Integer call() {
        ObjectNode body = write.body(key);
        body.set("value", jsonValue ? parse(value) : JSON.getNodeFactory().textNode(value));
        JsonNode answer = admin.client().post(write.path("/api/v1/put"), body, 200);
        AdminWrites.printWritten(spec.commandLine().getOut(), admin.json, answer, "written");
        return 0;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new CliException("--json-value: VALUE is not JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    CliException.USAGE);
        }
    }
}
