package io.ringkv.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise for the distribution: on a machine with only a JDK >= 21, `tar xf` then
 * `bin/ringkv server --config conf/ringkv.yaml` runs a node. The tarball is unpacked into an
 * empty directory outside the source tree, a one-node cluster is started from its example
 * configuration (ports and N edited, nothing else), written to and read from over HTTP, and
 * stopped by its pid; its log must be in the unpacked tree's logs/ (or on stdout when asked).
 */
class TarballOnCleanDirectoryTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(45);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path root;
    static UnpackedDistribution dist;

    @BeforeAll
    static void unpack() throws Exception {
        dist = UnpackedDistribution.unpack(root);
    }

    @Test
    void holdsTheLauncherTheJarsTheConfigurationAndTheDocsButNoSources() {
        Path home = dist.home;
        assertThat(home.resolve("bin/ringkv")).isExecutable();
        assertThat(home.resolve("lib/ringkv-cli-" + UnpackedDistribution.version() + ".jar")).isRegularFile();
        assertThat(home.resolve("lib/ringkv-server-" + UnpackedDistribution.version() + ".jar")).isRegularFile();
        for (String file : List.of("conf/ringkv.yaml", "conf/logback.xml", "conf/jvm-server.options",
                "README.md", "docs/operations.md", "docs/configuration.md")) {
            assertThat(home.resolve(file)).as(file).isRegularFile();
        }
        // Without pom.xml, bin/ringkv runs lib/ and never tries to build.
        assertThat(home.resolve("pom.xml")).doesNotExist();
        assertThat(home.toAbsolutePath().toString()).doesNotStartWith(checkout().toString());
    }

    @Test
    void printsItsVersion() throws Exception {
        Run run = run(List.of("--version"));
        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("ringkv " + UnpackedDistribution.version());
    }

    @Test
    void refusesAnUnknownLogTargetInOneLine() throws Exception {
        Path out = root.resolve("bad-log.out");
        Path err = root.resolve("bad-log.err");
        ProcessBuilder builder = dist.ringkv(out, err, List.of("server", "--config", "conf/ringkv.yaml"));
        builder.environment().put("RINGKV_LOG", "syslog");
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(err).strip()).isEqualTo("ringkv: RINGKV_LOG must be 'file' or 'stdout', got 'syslog'");
    }

    @Test
    void serverFromTheExampleConfigurationServesAndLogsToRotatedFiles() throws Exception {
        List<Integer> ports = TestPorts.free(2);
        configure(ports.get(0), ports.get(1), "data");
        Path out = root.resolve("server.out");
        Path err = root.resolve("server.err");
        Process server = dist.ringkv(out, err, List.of("server", "--config", "conf/ringkv.yaml")).start();
        try {
            String url = "http://127.0.0.1:" + ports.get(0);
            awaitHealthy(server, url, err);
            assertThat(post(url + "/api/v1/put", "{\"key\": \"dist:probe\", \"value\": [\"from\", \"the\", \"tarball\"]}"))
                    .contains("\"acknowledged\"");
            assertThat(get(url + "/api/v1/getValue?key=dist:probe")).contains("\"value\":[\"from\",\"the\",\"tarball\"]");
            // Another command from the same tree, against the node.
            Run status = run(List.of("admin", "--url", url, "status"));
            assertThat(status.exitCode).as(status.err()).isZero();
            assertThat(status.out()).contains("node1", "NORMAL", "UP");
        } finally {
            stop(server);
        }
        Path log = dist.home.resolve("logs/ringkv.log");
        assertThat(log).as("the node's log in the unpacked tree").isRegularFile();
        assertThat(Files.readString(log)).contains("ready: serving HTTP on " + "http://127.0.0.1:" + ports.get(0));
        assertThat(Files.readString(out)).as("stdout, with logs going to the file").isEmpty();
        assertThat(Files.readString(err)).contains("ringkv: logging to " + log);
    }

    @Test
    void serverLogsToStdoutWhenAskedAsInTheContainer() throws Exception {
        List<Integer> ports = TestPorts.free(2);
        Path logDir = root.resolve("stdout-mode-logs");
        configure(ports.get(0), ports.get(1), root.resolve("stdout-mode-data").toString());
        Path out = root.resolve("stdout-server.out");
        Path err = root.resolve("stdout-server.err");
        ProcessBuilder builder = dist.ringkv(out, err, List.of("server", "--config", "conf/ringkv.yaml"));
        builder.environment().put("RINGKV_LOG", "stdout");
        builder.environment().put("RINGKV_LOG_DIR", logDir.toString());
        Process server = builder.start();
        try {
            awaitHealthy(server, "http://127.0.0.1:" + ports.get(0), err);
        } finally {
            stop(server);
        }
        assertThat(Files.readString(out)).contains("ready: serving HTTP on http://127.0.0.1:" + ports.get(0));
        assertThat(logDir).as("no log file in stdout mode").doesNotExist();
    }

    /**
     * The shipped example, made a one-node cluster on free ports (its N=3, W=2 needs three nodes)
     * with its data in {@code dataDir}. Each call starts again from the shipped text.
     */
    private static void configure(int httpPort, int peerPort, String dataDir) throws IOException {
        Path config = dist.home.resolve("conf/ringkv.yaml");
        Path shipped = root.resolve("ringkv.yaml.shipped");
        if (!Files.exists(shipped)) {
            Files.copy(config, shipped);
        }
        Files.copy(shipped, config, StandardCopyOption.REPLACE_EXISTING);
        dist.edit("conf/ringkv.yaml",
                "  port: 8001", "  port: " + httpPort,
                "peerPort: 9001", "peerPort: " + peerPort,
                "  dataDir: data ", "  dataDir: " + dataDir + " ",
                "  n: 3\n  r: 2\n  w: 2\n", "  n: 1\n  r: 1\n  w: 1\n");
    }

    /**
     * Waits for /health to answer 200, then for the node to own tokens (NORMAL in its own view):
     * a node serves HTTP a moment before it has created the ring, and writes fail until then.
     */
    private static void awaitHealthy(Process server, String url, Path err) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (String[] probe : new String[][] {{"/health", "serving"}, {"/api/v1/cluster", "\"status\":\"NORMAL\""}}) {
            while (!answers(url + probe[0], probe[1])) {
                assertThat(server.isAlive()).as("the server exited: %s", Files.readString(err)).isTrue();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + probe[1] + " at " + url + probe[0] + " within " + START_TIMEOUT
                            + ": " + Files.readString(err));
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean answers(String url, String expected) throws InterruptedException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains(expected);
        } catch (IOException notYet) {
            return false;
        }
    }

    /** SIGTERM to the pid bin/ringkv exec'd into (the node's JVM), then a bounded wait; SIGKILL if it hangs. */
    private static void stop(Process server) throws InterruptedException {
        ProcessHandle handle = ProcessHandle.of(server.pid()).orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            handle.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the node did not stop within 30 s of SIGTERM");
        }
    }

    private static String post(String url, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private record Run(int exitCode, Path outFile, Path errFile) {
        String out() throws IOException {
            return Files.readString(outFile);
        }

        String err() {
            try {
                return Files.readString(errFile);
            } catch (IOException e) {
                return "(no stderr: " + e.getMessage() + ")";
            }
        }
    }

    private static Run run(List<String> args) throws Exception {
        Path out = Files.createTempFile(root, "cmd", ".out");
        Path err = Files.createTempFile(root, "cmd", ".err");
        Process process = dist.ringkv(out, err, args).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/ringkv %s finished", args).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    /** The source checkout: the tarball must be tested away from it. */
    private static Path checkout() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    }
}
