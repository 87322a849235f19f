package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ringkv bench cluster}: wrong usage is one line and exit 2; no cluster is exit 1. */
class BenchClusterCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** The command's report goes to System.out (as bench storage's does). */
    private static String stdoutOf(Runnable body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void assertUsageLine(CliRun r, String contains) {
        r.assertOneLine(2, contains);
    }

    @Test
    void bad_settings_are_one_line_and_exit_2() {
        assertUsageLine(run("bench", "cluster", "--threads", "0"), "threads must be between 1 and 1024, was 0");
        assertUsageLine(run("bench", "cluster", "--read-ratio", "1.5"), "read ratio must be between 0 and 1");
        assertUsageLine(run("bench", "cluster", "--nodes", "localhost:8001"), "not a node URL");
        assertUsageLine(run("bench", "cluster", "--duration", "0"), "duration must be positive");
        assertUsageLine(run("bench", "cluster", "--value-size", "x"), "'x' is not an int");
    }

    @Test
    void no_cluster_at_the_given_nodes_exits_1() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun[] r = new CliRun[1];
        String out = stdoutOf(() -> r[0] = run("bench", "cluster", "--nodes", "http://127.0.0.1:" + closed,
                "--ops", "10", "--no-load", "--threads", "3"));
        assertThat(r[0].status()).isEqualTo(1);
        assertThat(out).contains("threads 3,", "load no,", "measured 10 ops",
                "bench cluster: no node answered", "127.0.0.1:" + closed);
    }
}
