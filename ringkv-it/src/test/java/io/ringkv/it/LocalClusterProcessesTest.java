package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, on one node (n = 1): the signals it sends are the real ones, a restart
 * keeps the data and shows a new generation, and closing leaves no process behind.
 */
class LocalClusterProcessesTest {

    @Test
    void harnessSignalsAreRealAndRestartKeepsDataWithAHigherGenerationAndCloseLeavesNoProcess() {
        LocalClusterProcesses cluster = LocalClusterProcesses.start(ClusterSettings.of(1));
        long pidAfterRestart;
        try {
            KvClient node = cluster.client(1);
            Reply put = node.put("harness-key", "v1");
            assertThat(put.status()).as("put %s", put).isEqualTo(200);
            long generationBefore = cluster.currentGeneration(1).orElseThrow();

            // SIGSTOP: the process is alive (its socket accepts connections) but answers nothing.
            cluster.pause(1);
            assertThatThrownBy(() -> node.send("GET", "/health", null, Duration.ofMillis(500)))
                    .isInstanceOf(UncheckedIOException.class);
            cluster.resume(1);
            assertThat(node.send("GET", "/health", null).status()).isEqualTo(200);

            // kill -9 (LocalClusterProcesses checks the exit status 137 = 128 + SIGKILL).
            long pidBeforeKill = cluster.pid(1);
            cluster.kill9(1);
            try (KvClient fresh = new KvClient(cluster.node(1).httpBaseUrl(), Duration.ofSeconds(2))) {
                assertThatThrownBy(() -> fresh.send("GET", "/health", null)).as("a new connection to the killed node")
                        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
            }

            cluster.restart(1);
            cluster.awaitConverged();
            pidAfterRestart = cluster.pid(1);
            assertThat(pidAfterRestart).isNotEqualTo(pidBeforeKill);
            Reply get = cluster.client(1).get("harness-key");
            assertThat(get.stringValues()).as("acknowledged write after kill -9 and restart: %s", get).containsExactly("v1");
            assertThat(cluster.currentGeneration(1).orElseThrow()).isGreaterThan(generationBefore);
        } catch (RuntimeException | Error e) {
            System.err.println("FAILED; node logs follow\n" + cluster.describe());
            throw e;
        } finally {
            cluster.close();
        }
        assertThat(ProcessHandle.of(pidAfterRestart).filter(ProcessHandle::isAlive)).as("node process after close").isEmpty();
    }
}
