package io.ringkv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.admin.AdminClient;
import io.ringkv.cli.admin.ByteSize;
import io.ringkv.cli.cluster.ClusterViewProbe;
import io.ringkv.cli.cluster.StatusTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv admin --url URL decommission}: the node hands every range it replicates to the
 * nodes that take it over, leaves the ring and stops ({@code POST /api/v1/admin/decommission},
 * followed at {@code GET /api/v1/admin/streaming}), with a progress line whenever it moved:
 * ranges, keys, bytes, rate and ETA. Exit 0 once the node has left and stopped answering (if it
 * stops before a poll sees DONE, the other members it listed beforehand are asked whether they see
 * it LEFT); 1 if the decommission failed or outlived {@code --timeout-seconds} (it goes on at the
 * node).
 */
@Command(name = "decommission", mixinStandardHelpOptions = true,
        description = {"Streams the node's ranges to the nodes that take them over, then the node leaves the ring and",
                "stops. Prints progress; exit 0 once it has left."})
final class AdminDecommissionCommand implements Callable<Integer> {
    private static final long QUIET_LINE_MILLIS = 10_000;

    @ParentCommand
    AdminCommand admin;
    @Spec
    CommandSpec spec;

    @Option(names = "--poll-millis", paramLabel = "MS", defaultValue = "1000",
            description = "how often to ask for progress (default: ${DEFAULT-VALUE})")
    long pollMillis;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "86400",
            description = "stop watching (exit 1) after this long; the decommission goes on (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (pollMillis < 10) {
            throw new CliException("--poll-millis must be at least 10, got " + pollMillis, CliException.USAGE);
        }
        AdminClient client = admin.client();
        PrintWriter out = spec.commandLine().getOut();
        // Asked before the node leaves: who else can tell, should it stop between two polls, that it left.
        JsonNode view = client.get("/api/v1/cluster");
        String self = view.path("self").asText();
        List<String> others = new ArrayList<>();
        for (JsonNode member : view.path("members")) {
            if (!member.path("id").asText().equals(self) && !member.path("http").asText().isEmpty()) {
                others.add("http://" + member.path("http").asText());
            }
        }
        JsonNode progress = client.post("/api/v1/admin/decommission", 202);
        out.printf("decommissioning %s: it announces LEAVING and hands its ranges over%n", client.baseUrl());
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        ClusterViewProbe probe = new ClusterViewProbe(Duration.ofSeconds(2));
        boolean stopped = followUntilDone(client, progress, out, "", pollMillis, deadline, timeoutSeconds,
                () -> probe.seenLeft(self, others));
        return stopped ? 0 : awaitStopped(client, out, deadline);
    }

    /**
     * Follows a decommission from its first progress report until it is DONE, printing a line
     * (after {@code prefix}) whenever it moved and at least every {@value #QUIET_LINE_MILLIS} ms;
     * a failed decommission or one still running at {@code deadline} is a {@link CliException}.
     * Returns true if the node already stopped answering (and others see it LEFT), false once it said DONE.
     * Shared with {@code cluster scale}, which decommissions nodes one after another.
     *
     * @param leftWhenSilent asked when the node stops answering: true if other nodes see it LEFT.
     *                       The node exits {@code streaming.settle} after its last range (0.6 s
     *                       with fast gossip), which can be sooner than the next poll, so a node
     *                       that stopped answering may well have finished
     */
    static boolean followUntilDone(AdminClient client, JsonNode progress, PrintWriter out, String prefix, long pollMillis,
                                long deadline, long timeoutSeconds, BooleanSupplier leftWhenSilent) throws InterruptedException {
        String last = null;
        long lastLineNanos = 0;
        while (true) {
            String line = line(progress);
            long now = System.nanoTime();
            if (!line.equals(last) || now - lastLineNanos >= TimeUnit.MILLISECONDS.toNanos(QUIET_LINE_MILLIS)) {
                out.println(prefix + line);
                out.flush();
                last = line;
                lastLineNanos = now;
            }
            switch (progress.path("state").asText()) {
                case "DONE" -> {
                    return false;
                }
                case "FAILED" -> throw new CliException(prefix + "decommission failed: "
                        + progress.path("error").asText("(no reason given)"));
                default -> {
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new CliException(prefix + "decommission still running after " + timeoutSeconds
                        + " s; it goes on at the node");
            }
            Thread.sleep(pollMillis);
            try {
                progress = client.get("/api/v1/admin/streaming");
            } catch (CliException silent) {
                if (leftWhenSilent.getAsBoolean()) {
                    out.println(prefix + "done: it has left (seen LEFT by the other nodes) and stopped answering");
                    out.flush();
                    return true;
                }
                throw silent;
            }
        }
    }

    /** The node stops by itself once LEFT has spread: wait until it no longer answers. */
    private int awaitStopped(AdminClient client, PrintWriter out, long deadline) throws InterruptedException {
        while (System.nanoTime() - deadline < 0) {
            try {
                client.get("/api/v1/admin/streaming");
            } catch (CliException gone) {
                out.printf("%s has left the cluster and stopped%n", client.baseUrl());
                out.flush();
                return 0;
            }
            Thread.sleep(pollMillis);
        }
        throw new CliException("the node has left the ring but still answers after " + timeoutSeconds + " s");
    }

    static String line(JsonNode p) {
        String state = p.path("state").asText();
        long eta = p.path("etaMillis").asLong(-1);
        String line = String.format(Locale.ROOT, "%s: %d/%d ranges, %d keys, %s, %s/s, %s elapsed%s", state.toLowerCase(Locale.ROOT),
                p.path("rangesDone").asInt(), p.path("rangesTotal").asInt(), p.path("keys").asLong(),
                ByteSize.readable(p.path("bytes").asLong()), ByteSize.readable(p.path("bytesPerSecond").asLong()),
                StatusTable.age(p.path("elapsedMillis").asLong()),
                eta >= 0 && state.equals("STREAMING") ? ", ETA " + StatusTable.age(eta) : "");
        String error = p.path("error").asText("");
        return error.isEmpty() || p.path("error").isNull() ? line : line + " (retrying: " + error + ")";
    }
}
