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
        for (int k = 1; k <= 3; k++) {
            Path pidFile = dir.resolve("node" + k + "/ringkv.pid");
            if (Files.exists(pidFile)) {
                nodePids.add(Long.parseLong(Files.readString(pidFile).strip()));
            }
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

    /**
     * A base port BASE such that, for K = 1..nodes, HTTP port BASE+K on 127.0.0.1 and peer port
     * BASE+1000+K on 127.0.0.K are free right now. Every port stays below the kernel's ephemeral
     * range (ip_local_port_range starts at 32768 by default): a port free when checked but in
     * that range can become another connection's source port before the node binds it, which
     * once failed this test with "Address already in use".
     */
    private static int freeBase(int nodes) {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + random.nextInt(11_000); // at most 30,999 + 1000 + nodes
            boolean free = true;
            for (int k = 1; k <= nodes && free; k++) {
                free = isFree("127.0.0.1", base + k) && isFree("127.0.0." + k, base + 1000 + k);
            }
            if (free) {
                return base;
            }
        }
        throw new AssertionError("no free base port found");
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName(host))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> http(String method, String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private long pid() throws IOException {
        return pid(1);
    }

    private long pid(int k) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("node" + k + "/ringkv.pid")).strip());
    }

    private long nodeProcessesRunningThisConfig() {
        String config = dir.resolve("node1/ringkv.yaml").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("-Dringkv.node.config=" + config)).orElse(false))
                .count();
    }

    @Test
    void start_is_idempotent_status_reports_and_stop_ends_the_process() throws Exception {
        int port = freeBase(1) + 1;
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
        assertThat(status.out()).containsPattern("node1\\s+" + pid + "\\s+" + url + "\\s+NORMAL\\s+UP\\s+\\d+ ms\\s+100.0%");
        assertThat(status.out()).contains("Membership as seen by node1 (N=1 R=1 W=1).");

        CliRun stopped = cli("cluster", "stop", "--dir", dir.toString());
        assertThat(stopped.status()).as(stopped.out()).isZero();
        assertThat(stopped.out()).contains("node1").contains("stopped (pid " + pid + ")");
        Optional<ProcessHandle> after = ProcessHandle.of(pid);
        assertThat(after.map(ProcessHandle::isAlive).orElse(false)).as("node process is gone").isFalse();
        assertThat(dir.resolve("node1/ringkv.pid")).doesNotExist();
        assertThat(Files.readString(dir.resolve("node1/node.log"))).contains("serving HTTP on " + url).contains("stopped");

        CliRun statusAfter = cli("cluster", "status", "--dir", dir.toString());
        assertThat(statusAfter.out()).containsPattern("node1\\s+-\\s+" + url + "\\s+-.*not running");

        // started again over the same directory: a new process, the data is still there
        CliRun restarted = cli("cluster", "start", "--nodes", "1", "--dir", dir.toString(), "--port", base);
        assertThat(restarted.status()).as(restarted.out()).isZero();
        nodePids.add(pid());
        assertThat(pid()).isNotEqualTo(pid);
        assertThat(http("GET", url + "/api/v1/get?key=hello", null).body()).contains("\"values\":[\"world\"]");
        assertThat(cli("cluster", "stop", "--dir", dir.toString()).status()).isZero();
    }

    @Test
    void a_stale_pid_file_does_not_count_as_running() throws Exception {
        int port = freeBase(1) + 1;
        Files.createDirectories(dir.resolve("node1"));
        // this test JVM's pid: alive, but not a ringkv node for this config
        Files.writeString(dir.resolve("node1/ringkv.pid"), ProcessHandle.current().pid() + "\n");
        CliRun status = cli("cluster", "start", "--nodes", "1", "--dir", dir.toString(), "--port", Integer.toString(port - 1));
        assertThat(status.status()).as(status.out()).isZero();
        assertThat(status.out()).contains("started");
        assertThat(pid()).isNotEqualTo(ProcessHandle.current().pid());
        nodePids.add(pid());
        assertThat(cli("cluster", "stop", "--dir", dir.toString()).out()).contains("stopped");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void three_nodes_by_default_form_one_ring_and_only_a_killed_node_is_restarted() throws Exception {
        int base = freeBase(3);
        String[] urls = new String[4];
        for (int k = 1; k <= 3; k++) {
            urls[k] = "http://127.0.0.1:" + (base + k);
        }
        CliRun started = cli("cluster", "start", "--dir", dir.toString(), "--port", Integer.toString(base));
        assertThat(started.status()).as(started.out()).isZero();
        for (int k = 1; k <= 3; k++) {
            nodePids.add(pid(k));
            assertThat(started.out()).containsPattern("node" + k + "\\s+started\\s+pid " + pid(k));
            assertThat(Files.readString(dir.resolve("node" + k + "/ringkv.yaml")))
                    .contains("peerHost: 127.0.0." + k).contains("peerPort: " + (base + 1000 + k))
                    .contains("seeds: [\"127.0.0.1:" + (base + 1001) + "\", \"127.0.0.2:" + (base + 1002) + "\"]")
                    .contains("n: 3").contains("r: 2").contains("w: 2");
        }
        assertThat(started.out()).contains("ring formed").contains(urls[1] + " " + urls[2] + " " + urls[3]);

        // a write through node1 is read through node3, with the default quorums R = W = 2 of N = 3
        assertThat(http("POST", urls[1] + "/api/v1/put", "{\"key\":\"k\",\"value\":\"v\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> got = http("GET", urls[3] + "/api/v1/get?key=k", null);
        assertThat(got.body()).as(got.body()).contains("\"values\":[\"v\"]");

        CliRun status = cli("cluster", "status", "--dir", dir.toString());
        assertThat(status.status()).as(status.out()).isZero();
        for (int k = 1; k <= 3; k++) {
            assertThat(status.out()).containsPattern("node" + k + "\\s+" + pid(k) + "\\s+" + urls[k] + "\\s+NORMAL\\s+UP\\s+");
        }
        assertThat(status.out()).contains("All 3 answering nodes agree on the membership.");

        // kill -9 node2: the next start restarts node2 only
        long killed = pid(2);
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        ProcessHandle.of(killed).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        long node1 = pid(1);
        long node3 = pid(3);
        CliRun again = cli("cluster", "start", "--dir", dir.toString(), "--port", Integer.toString(base));
        assertThat(again.status()).as(again.out()).isZero();
        assertThat(again.out()).containsPattern("node1\\s+already running\\s+pid " + node1)
                .containsPattern("node2\\s+started").containsPattern("node3\\s+already running\\s+pid " + node3);
        nodePids.add(pid(2));
        assertThat(pid(2)).isNotEqualTo(killed);
        assertThat(http("GET", urls[2] + "/api/v1/get?key=k", null).body()).contains("\"values\":[\"v\"]");
        assertThat(cli("cluster", "stop", "--dir", dir.toString()).status()).isZero();
    }
}
