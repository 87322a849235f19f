package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.testing.TestPorts;
import io.ringkv.server.RingkvNode;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringkv admin} get, put, delete, replicas, ring and stats against a real one-node cluster
 * in this JVM: tables by default, JSON with {@code --json}, exit 3 for an absent key, and one line
 * with exit 2 for bad input.
 */
class AdminDataCommandsTest {
    @TempDir
    static Path dir;
    static RingkvNode node;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        int peerPort = TestPorts.freePort("127.0.0.1");
        node = RingkvNode.start(NodeConfigLoader.parse("""
                node: {id: solo, dataDir: data}
                http: {host: 127.0.0.1, port: 0}
                cluster: {peerHost: 127.0.0.1, peerPort: %d, gossip: {interval: 100ms}}
                replication: {n: 1, r: 1, w: 1}
                storage: {memtableSize: 4MiB, blockCacheSize: 8MiB}
                """.formatted(peerPort), dir));
        url = node.baseUrl();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (CliRun.of("admin", "--url", url, "put", "probe", "x").status() != 0) {
            assertThat(System.nanoTime()).as("the one-node ring forms within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void put_get_and_delete_show_versions_contexts_and_siblings() {
        CliRun first = CliRun.of("admin", "--url", url, "put", "cart", "apple");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("cart: written, acknowledged by 1 replica\ncontext: ");
        CliRun.of("admin", "--url", url, "put", "cart", "[\"pear\"]", "--json-value"); // no context: a sibling

        CliRun read = CliRun.of("admin", "--url", url, "get", "cart");
        assertThat(read.status()).isZero();
        assertThat(read.out()).startsWith("cart: 2 concurrent versions (siblings): merge them and write back with the context\n")
                .contains("  \"apple\"\n").contains("  [\"pear\"]\n").contains("context: ");
        String context = read.out().lines().filter(l -> l.startsWith("context: ")).findFirst().orElseThrow().substring(9);

        assertThat(CliRun.of("admin", "--url", url, "put", "cart", "[\"apple\",\"pear\"]", "--json-value", "--context", context)
                .status()).isZero();
        assertThat(CliRun.of("admin", "--url", url, "get", "cart").out())
                .startsWith("cart: 1 version\n  [\"apple\",\"pear\"]\n");

        String merged = CliRun.of("admin", "--url", url, "get", "cart").out().lines()
                .filter(l -> l.startsWith("context: ")).findFirst().orElseThrow().substring(9);
        assertThat(CliRun.of("admin", "--url", url, "delete", "cart", "--context", merged).out()).startsWith("cart: deleted");
        CliRun gone = CliRun.of("admin", "--url", url, "get", "cart");
        assertThat(gone.status()).as("absent: exit 3").isEqualTo(3);
        assertThat(gone.out()).startsWith("cart: not found (deleted; write with context ");
        assertThat(CliRun.of("admin", "--url", url, "get", "never-written").out()).isEqualTo("never-written: not found\n");
    }

    @Test
    void json_prints_what_the_node_answered() {
        CliRun.of("admin", "--url", url, "put", "j", "v");
        CliRun read = CliRun.of("admin", "--url", url, "--json", "get", "j");
        assertThat(read.status()).isZero();
        assertThat(read.out()).contains("\"key\" : \"j\"").contains("\"values\" : [ \"v\" ]").contains("\"context\" : ");
        assertThat(CliRun.of("admin", "--url", url, "--json", "replicas", "j").out()).contains("\"replicas\" : [ \"solo\" ]");
        assertThat(CliRun.of("admin", "--url", url, "--json", "ring").out()).contains("\"cluster\" : {").contains("\"ring\" : {");
        assertThat(CliRun.of("admin", "--url", url, "--json", "stats").out()).contains("\"operations\" : {")
                .contains("\"memtables\" : 1,");
    }

    @Test
    void replicas_ring_and_stats_are_tables() {
        assertThat(CliRun.of("admin", "--url", url, "replicas", "some key/with spaces").out())
                .isEqualTo("some key/with spaces: solo\n");
        CliRun ring = CliRun.of("admin", "--url", url, "ring");
        assertThat(ring.out()).startsWith("NODE       STATUS   LIVENESS  DC     RACK   WEIGHT TOKENS    OWNS\n"
                + "solo       NORMAL   UP        dc1    rack1       1    256  100.0%\n")
                .contains("256 tokens; N=1 R=1 W=1, as seen by solo");
        assertThat(CliRun.of("admin", "--url", url, "ring", "--tokens").out()).contains("solo (256 tokens):\n  ");
        CliRun stats = CliRun.of("admin", "--url", url, "stats");
        assertThat(stats.out()).startsWith("NODE       OP        PER SEC   FAILED    P50 MS    P99 MS\n")
                .contains("solo       put").contains("Rates and latencies over the last 5 s.")
                .contains("\nNODE        SSTABLES SSTABLE BYTES MEMTABLES MEMTABLE BYTES         DISK       HINTS HINT BYTES\n");
        String storageRow = stats.out().lines().filter(l -> l.startsWith("solo ") && !l.contains(" put") && !l.contains(" get")
                && !l.contains(" delete")).findFirst().orElseThrow();
        assertThat(storageRow.substring(35, 44).strip()).as("MEMTABLES of: " + storageRow).isEqualTo("1");
        assertThat(CliRun.of("admin", "--url", url, "stats", "--cluster").out()).contains("solo       get");
    }

    @Test
    void bad_input_is_one_line() {
        CliRun.of("admin", "--url", url, "put", "k", "[not json", "--json-value")
                .assertOneLine(2, "--json-value: VALUE is not JSON");
        CliRun.of("admin", "--url", url, "get").assertOneLine(2, "Missing required parameter: 'KEY'");
        CliRun.of("admin", "--url", url, "put", "k", "v", "--context", "garbage!")
                .assertOneLine(1, "/api/v1/put answered 400");
    }
}
