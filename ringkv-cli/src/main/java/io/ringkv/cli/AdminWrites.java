package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.JsonOutput;
import java.io.PrintWriter;

/** The answer to {@code admin put} and {@code admin delete}: who acknowledged it, and its context. */
final class AdminWrites {
    private AdminWrites() {
    }

    static void printWritten(PrintWriter out, boolean json, JsonNode answer, String what) {
        if (json) {
            JsonOutput.print(out, answer);
            return;
        }
        JsonNode ack = answer.path("acknowledged");
        int replicas = ack.path("replicas").asInt();
        int hints = ack.path("hints").asInt();
        out.println(answer.path("key").asText() + ": " + what + ", acknowledged by " + replicas
                + (replicas == 1 ? " replica" : " replicas") + (hints == 0 ? "" : " and " + hints + (hints == 1 ? " hint" : " hints")));
        out.println("context: " + answer.path("context").asText());
        out.flush();
    }
}
