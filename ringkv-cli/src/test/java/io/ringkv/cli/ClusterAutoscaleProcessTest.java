package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.ClusterSecret;
import io.ringkv.cli.cluster.NodeConfigTemplate;
import io.ringkv.cli.cluster.NodeLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringkv cluster autoscale} as real processes: a 3-node local cluster started by {@code cluster
 * start}, the autoscaler in its own JVM with low thresholds, and a write load from this JVM that
 * rises and then falls. The cluster must grow to 4 nodes while the load is high and shrink back to
 * 3 once it is low, each decision logged with its figures; every acknowledged write must then read
 * back from all three replicas. The load follows the autoscaler's log (high until the join is done,
 * low until the decommission is done), each phase capped in time (generously: on a machine shared
 * with other builds a join has taken over a minute), so the test takes as long as the two changes
 * and no longer. Ports 9400-9499 (HTTP) and 10400-10499 (peers, BASE+1000+K).
 */
class ClusterAutoscaleProcessTest {
    /** Above --scale-up-ops 20 per node on 3 nodes (40 each) and on 4 (30 each). */
    private static final double HIGH_WRITES_PER_SECOND = 120;
    /** Below --scale-down-ops 5 per node on 4 nodes (1.5 each), and 3 nodes would get 2 each. */
    private static final double LOW_WRITES_PER_SECOND = 6;

    @TempDir
    Path dir;

    private Process autoscaler;

    @AfterEach
    void stopEverything() throws IOException {
        if (autoscaler != null) {
            autoscaler.destroyForcibly();
        }
        for (int k = 1; k <= 6; k++) {
            Path pidFile = dir.resolve("node" + k + "/ringkv.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                // only a process that runs this test's node: its command line names the directory
                ProcessHandle.of(pid).filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                        .ifPresent(p -> {
                            p.destroyForcibly();
                            p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                        });
            }
        }
    }

    @Test
    void grows_under_a_rising_load_and_shrinks_when_it_falls_and_keeps_every_acknowledged_write() throws Exception {
        long began = System.nanoTime();
        int base = freeBase(4);
        List<String> seedUrls = List.of(url(base, 1), url(base, 2), url(base, 3));
        writeConfigsWithFastGossip(base, 4);
        Process start = cli(dir.resolve("start.out"), "cluster", "start", "--nodes", "3", "--dir", dir.toString(),
                "--port", Integer.toString(base), "--heap", "512m");
        assertThat(start.waitFor(120, TimeUnit.SECONDS)).as("cluster start finishes").isTrue();
        assertThat(start.exitValue()).as(Files.readString(dir.resolve("start.out"))).isZero();

        System.out.printf("cluster started in %.1f s%n", (System.nanoTime() - began) / 1e9);
        Path log = dir.resolve("autoscale.out");
        autoscaler = cli(log, "cluster", "autoscale", "--min", "3", "--max", "4", "--dir", dir.toString(),
                "--scale-up-ops", "20", "--scale-down-ops", "5", "--p99-ceiling-ms", "2000", "--interval-seconds", "1",
                "--sustain-seconds", "2", "--cooldown-seconds", "2", "--duration", "300", "--heap", "512m", "--verbose");

        Map<String, String> acknowledged;
        try (PacedWriteLoad load = new PacedWriteLoad(seedUrls, HIGH_WRITES_PER_SECOND, 25_000, 32, Duration.ofSeconds(240))) {
            awaitLogLine(log, "done: join", Duration.ofSeconds(150));
            assertThat(runningNodes()).as("grown while the load was high").isEqualTo(4);
            load.setRate(LOW_WRITES_PER_SECOND);
            awaitLogLine(log, "done: decommission", Duration.ofSeconds(90));
            load.close();
            acknowledged = load.acknowledged();
            System.out.printf("load: %d writes attempted, %d acknowledged, %d failed%n", load.attempted(), acknowledged.size(),
                    load.failed());
        }
        autoscaler.destroy(); // SIGTERM: it stops between samples and says so
        assertThat(autoscaler.waitFor(20, TimeUnit.SECONDS)).as("the autoscaler stops on SIGTERM").isTrue();
        String decisions = Files.readString(log);
        System.out.println(decisions);

        assertThat(decisions).containsPattern("decision: join \\(3 -> 4 nodes, node4 joins\\): .*ops/s.*per node > --scale-up-ops 20")
                .containsPattern("decision: decommission \\(4 -> 3 nodes, node4 leaves\\): .*< --scale-down-ops 5 per node")
                .contains("sample: ").contains("stopped after");
        assertThat(decisions.indexOf("decision: join")).isLessThan(decisions.indexOf("decision: decommission"));
        assertThat(runningNodes()).as("back to --min").isEqualTo(3);
        assertThat(dir.resolve("node4")).as("the node that left is removed").doesNotExist();

        assertThat(acknowledged).as("the load wrote").hasSizeGreaterThan(500);
        long readBack = System.nanoTime();
        List<String> lost = readBackEveryReplica(seedUrls.getFirst(), acknowledged);
        System.out.printf("read back %d keys with r=3 in %.1f s; %.1f s in all%n", acknowledged.size(),
                (System.nanoTime() - readBack) / 1e9, (System.nanoTime() - began) / 1e9);
        assertThat(lost).as("acknowledged writes that do not read back with r=3").isEmpty();
    }

    /**
     * Writes the ringkv.yaml of nodes 1..{@code nodes} as {@code cluster start} would (it keeps an
     * existing file), with gossip rounds of 200 ms instead of 1 s, as ringkv-it's clusters run: a
     * join or decommission settles in 0.6 s instead of 3 s and the ring forms sooner, which keeps
     * this test near a minute. Node4's file waits for the autoscaler's join.
     */
    private void writeConfigsWithFastGossip(int base, int nodes) throws IOException {
        ClusterDirectory cluster = new ClusterDirectory(dir);
        String secret = ClusterSecret.readOrCreate(cluster);
        for (int k = 1; k <= nodes; k++) {
            NodeLayout node = cluster.node(k);
            NodeConfigTemplate.writeIfAbsent(node, Math.max(3, k), base, secret);
            String yaml = Files.readString(node.config());
            assertThat(yaml).contains("\ncluster:\n");
            Files.writeString(node.config(), yaml.replace("\ncluster:\n",
                    "\ncluster:\n  gossip: {interval: 200ms, suspectAfter: 2000ms}\n"));
        }
    }

    private long runningNodes() throws IOException {
        long running = 0;
        for (int k = 1; k <= 6; k++) {
            Path pidFile = dir.resolve("node" + k + "/ringkv.pid");
            if (Files.exists(pidFile)
                    && ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).map(ProcessHandle::isAlive).orElse(false)) {
                running++;
            }
        }
        return running;
    }

    /** Reads every key with r=3 (all N replicas must answer) through {@code url}; returns what is missing or wrong. */
    private static List<String> readBackEveryReplica(String url, Map<String, String> expected) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Semaphore parallel = new Semaphore(8);
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                parallel.acquire();
                readers.execute(() -> {
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/get?r=3&key=" + e.getKey()))
                                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().contains("\"values\":[\"" + e.getValue() + "\"]")) {
                            problems.add(e.getKey() + ": " + r.statusCode() + " " + r.body());
                        }
                    } catch (Exception ex) {
                        problems.add(e.getKey() + ": " + ex);
                    } finally {
                        parallel.release();
                    }
                });
            }
        }
        return new ArrayList<>(problems);
    }

    private static void awaitLogLine(Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(250); // the autoscaler is another process: its log is all there is to watch
        }
        throw new AssertionError("no \"" + text + "\" in the autoscaler's log within " + timeout.toSeconds() + " s:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    /** The CLI in its own JVM with this test's classpath, stdout and stderr to {@code output}. */
    private Process cli(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.ringkv.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder cli = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        // Nodes started by this CLI (and by the autoscaler's joins) start and warm up as ringkv-it's do:
        // C1 only and the serial collector, so 4 JVMs on 2 cores spend less of the test compiling.
        cli.environment().put("RINGKV_NODE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        return cli.start();
    }

    private static String url(int base, int k) {
        return "http://127.0.0.1:" + (base + k);
    }

    /** A base port in 9400-9490 whose HTTP ports (BASE+K) and peer ports (BASE+1000+K on 127.0.0.K) are free for K = 1..nodes. */
    private static int freeBase(int nodes) {
        for (int base = 9400; base + nodes < 9500; base += 10) {
            boolean free = true;
            for (int k = 1; k <= nodes && free; k++) {
                free = isFree("127.0.0.1", base + k) && isFree("127.0.0." + k, base + 1000 + k);
            }
            if (free) {
                return base;
            }
        }
        throw new AssertionError("no free base port in 9400-9490");
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
