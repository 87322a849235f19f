package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.AdminClient;
import io.ringkv.cli.admin.RepairReport;
import io.ringkv.cli.admin.TokenRangeText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv admin --url URL repair [--range FROM:TO]}: runs anti-entropy now for the node's
 * ranges ({@code POST /api/v1/admin/repair}) and follows it ({@code GET /api/v1/admin/repair?id=N})
 * until it finishes, printing a progress line whenever it moved. Exit 0 when the repair is done, 1
 * when it failed, could not be followed, or outlived {@code --timeout-seconds} (it then goes on at
 * the node: the command only stops watching).
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Runs anti-entropy now for the node's ranges (or those overlapping --range), printing progress",
                "until it is done. Exit 0 when done, 1 if it failed."})
final class AdminRepairCommand implements Callable<Integer> {
    /** A line at least this often while nothing moves, so a long range compare does not look like a hang. */
    private static final long QUIET_LINE_MILLIS = 10_000;

    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;

    @Option(names = "--range", paramLabel = "FROM:TO", converter = TokenRangeText.class,
            description = "only the node's ranges overlapping (FROM, TO]: two tokens of 32 hex digits")
    String range;

    @Option(names = "--poll-millis", paramLabel = "MS", defaultValue = "1000",
            description = "how often to ask for progress (default: ${DEFAULT-VALUE})")
    long pollMillis;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "3600",
            description = "stop watching (exit 1) after this long; the repair goes on (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--no-wait", description = "start the repair, print its id and return at once")
    boolean noWait;

    @Override
    public Integer call() throws InterruptedException {
        if (pollMillis < 10) {
            throw new CliException("--poll-millis must be at least 10, got " + pollMillis, CliException.USAGE);
        }
        if (timeoutSeconds < 1) {
            throw new CliException("--timeout-seconds must be at least 1, got " + timeoutSeconds, CliException.USAGE);
        }
        AdminClient client = admin.client();
        PrintWriter out = spec.commandLine().getOut();
        JsonNode progress = client.post("/api/v1/admin/repair" + (range == null ? "" : "?range=" + range), 202);
        long id = progress.path("id").asLong();
        out.printf("repair %d started on %s: %s, %d ranges%n", id, client.baseUrl(), progress.path("scope").asText(),
                progress.path("rangesTotal").asInt());
        out.flush();
        if (noWait) {
            out.printf("follow it with: ringkv admin --url %s status%n", client.baseUrl());
            out.flush();
            return 0;
        }
        return follow(client, out, progress);
    }

    private int follow(AdminClient client, PrintWriter out, JsonNode progress) throws InterruptedException {
        long id = progress.path("id").asLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String lastMovement = null;
        long lastLineNanos = 0;
        while (true) {
            String movement = RepairReport.movement(progress);
            long now = System.nanoTime();
            if (!movement.equals(lastMovement) || now - lastLineNanos >= TimeUnit.MILLISECONDS.toNanos(QUIET_LINE_MILLIS)) {
                out.println(RepairReport.progressLine(progress));
                out.flush();
                lastMovement = movement;
                lastLineNanos = now;
            }
            switch (progress.path("state").asText()) {
                case "DONE" -> {
                    return 0;
                }
                case "FAILED" -> throw new CliException("repair " + id + " failed after " + progress.path("rangesDone").asInt()
                        + "/" + progress.path("rangesTotal").asInt() + " ranges: " + progress.path("error").asText("(no reason given)"));
                case "RUNNING" -> {
                }
                default -> throw new CliException("repair " + id + " is in a state this CLI does not know: \""
                        + progress.path("state").asText() + "\"");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new CliException("repair " + id + " still running after " + timeoutSeconds + " s; it goes on at the node"
                        + " (follow it with 'ringkv admin --url " + client.baseUrl() + " status')");
            }
            Thread.sleep(pollMillis);
            progress = client.get("/api/v1/admin/repair?id=" + id);
        }
    }
}
