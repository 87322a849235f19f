package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringkv cluster start|status|stop} as real processes: the CLI runs in its own JVM and
 * starts the node in another; the test talks to the node over HTTP and checks the processes
 * through their pids. Whatever happens, the node is killed afterwards.
 */
class LocalClusterProcessTest {
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final List<Long> nodePids = new ArrayList<>();

    private record CliRun(int status, String out) {
    }

    @AfterEach
    void killLeftovers() throws IOException {
        Path pidFile = dir.resolve("node1/ringkv.pid");
        if (Files.exists(pidFile)) {
            nodePids.add(Long.parseLong(Files.readString(pidFile).strip()));
        }
        for (long pid : nodePids) {
            ProcessHandle.of(pid).filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                    .ifPresent(p -> {
                        p.destroyForcibly();
                        p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                    });
        }
    }

    private CliRun cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.ringkv.cli.Main"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "cli", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("CLI did not finish: " + String.join(" ", args) + "\n" + Files.readString(output));
        }
        return new CliRun(p.exitValue(), Files.readString(output));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> http(String method, String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private long pid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("node1/ringkv.pid")).strip());
    }

    private long nodeProcessesRunningThisConfig() {
        String config = dir.resolve("node1/ringkv.yaml").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("-Dringkv.node.config=" + config)).orElse(false))
                .count();
    }

    @Test
    void start_is_idempotent_status_reports_and_stop_ends_the_process() throws Exception {
        int port = freePort();
        String base = Integer.toString(port - 1);
        String url = "http://127.0.0.1:" + port;

        CliRun started = cli("cluster", "start", "--nodes", "1", "--dir", dir.toString(), "--port", base);
        assertThat(started.status()).as(started.out()).isZero();
        assertThat(started.out()).contains("node1").contains("started").contains(url).contains("curl -s");
        long pid = pid();
        nodePids.add(pid);
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(dir.resolve("node1/ringkv.yaml")).exists();
        assertThat(dir.resolve("node1/node.log")).exists();

        assertThat(http("GET", url + "/health", null).statusCode()).isEqualTo(200);
        assertThat(http("POST", url + "/api/v1/put", "{\"key\":\"hello\",\"value\":\"world\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> got = http("GET", url + "/api/v1/get?key=hello", null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).contains("\"values\":[\"world\"]");

        CliRun again = cli("cluster", "start", "--nodes", "1", "--dir", dir.toString(), "--port", base);
        assertThat(again.status()).as(again.out()).isZero();
        assertThat(again.out()).contains("already running").contains(Long.toString(pid));
        assertThat(pid()).isEqualTo(pid);
        assertThat(nodeProcessesRunningThisConfig()).as("no second node process").isEqualTo(1);

        CliRun status = cli("cluster", "status", "--dir", dir.toString());
        assertThat(status.status()).as(status.out()).isZero();
        assertThat(status.out()).containsPattern("node1\\s+" + pid + "\\s+yes\\s+" + url + "\\s+serving");

        CliRun stopped = cli("cluster", "stop", "--dir", dir.toString());
        assertThat(stopped.status()).as(stopped.out()).isZero();
        assertThat(stopped.out()).contains("node1").contains("stopped (pid " + pid + ")");
        Optional<ProcessHandle> after = ProcessHandle.of(pid);
        assertThat(after.map(ProcessHandle::isAlive).orElse(false)).as("node process is gone").isFalse();
        assertThat(dir.resolve("node1/ringkv.pid")).doesNotExist();
        assertThat(Files.readString(dir.resolve("node1/node.log"))).contains("serving HTTP on " + url).contains("stopped");

        CliRun statusAfter = cli("cluster", "status", "--dir", dir.toString());
        assertThat(statusAfter.out()).containsPattern("node1\\s+-\\s+no\\s+" + url);

        // started again over the same directory: a new process, the data is still there
        CliRun restarted = cli("cluster", "start", "--dir", dir.toString(), "--port", base);
        assertThat(restarted.status()).as(restarted.out()).isZero();
        nodePids.add(pid());
        assertThat(pid()).isNotEqualTo(pid);
        assertThat(http("GET", url + "/api/v1/get?key=hello", null).body()).contains("\"values\":[\"world\"]");
        assertThat(cli("cluster", "stop", "--dir", dir.toString()).status()).isZero();
    }

    @Test
    void a_stale_pid_file_does_not_count_as_running() throws Exception {
        int port = freePort();
        Files.createDirectories(dir.resolve("node1"));
        // this test JVM's pid: alive, but not a ringkv node for this config
        Files.writeString(dir.resolve("node1/ringkv.pid"), ProcessHandle.current().pid() + "\n");
        CliRun status = cli("cluster", "start", "--dir", dir.toString(), "--port", Integer.toString(port - 1));
        assertThat(status.status()).as(status.out()).isZero();
        assertThat(status.out()).contains("started");
        assertThat(pid()).isNotEqualTo(ProcessHandle.current().pid());
        nodePids.add(pid());
        assertThat(cli("cluster", "stop", "--dir", dir.toString()).out()).contains("stopped");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }
}
