package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory plan through real processes, as {@code bin/ringkv server} runs them: {@code server
 * --jvm-options} prints the node's JVM options, a node JVM started with them logs the sizes it
 * derived, and an {@code -Xmx} after them is the heap the node sizes its caches for. The node's
 * data directory is a regular file, so it stops right after logging its plan, before binding any
 * port.
 */
class NodeMemoryProcessTest {
    @TempDir
    Path dir;

    private record Run(int status, String output) {
    }

    private Run java(List<String> jvmOptions, String... args) throws Exception {
        return javaWithOperatorOptions(null, jvmOptions, args);
    }

    /** {@code io.ringkv.cli.Main args} in a JVM of its own, with RINGKV_JAVA_OPTS set to {@code operatorOptions} if not null. */
    private Run javaWithOperatorOptions(String operatorOptions, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ringkv.cli.Main"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "run", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("RINGKV_JAVA_OPTS");
        if (operatorOptions != null) {
            builder.environment().put("RINGKV_JAVA_OPTS", operatorOptions);
        }
        Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in 30 s: " + command + "\n" + Files.readString(output));
        }
        return new Run(p.exitValue(), Files.readString(output));
    }

    private Path config() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("data"), "a file where the data directory should be");
        return Files.writeString(dir.resolve("ringkv.yaml"), """
                node: {id: lean, dataDir: "%s", memory: 300MiB}
                http: {port: 1}
                cluster: {peerPort: 1}
                """.formatted(notADirectory));
    }

    @Test
    void the_node_runs_with_the_options_of_its_memory_plan_and_logs_the_sizes_derived_from_it() throws Exception {
        Path config = config();
        Run planned = java(List.of(), "server", "--jvm-options", "--config", config.toString(), "--memory", "400m");
        assertThat(planned.status()).as(planned.output()).isZero();
        List<String> options = planned.output().lines().toList();
        assertThat(options).containsSubsequence("-Xms230m", "-Xmx230m", "-XX:MaxDirectMemorySize=57m", "-XX:+UseSerialGC");

        Run node = java(options, "server", "--config", config.toString(), "--memory", "400m");
        assertThat(node.status()).as(node.output()).isEqualTo(1);
        assertThat(node.output()).contains("node lean memory 400MiB: heap 230MiB holding a block cache of 57MiB and up to 3"
                + " memtables of 14MiB").contains("; serial collector").contains("could not start");

        Run withOperatorHeap = javaWithOperatorOptions("-Xmx200m -XX:+UseParallelGC", List.of(), "server", "--jvm-options", "--config",
                config.toString(), "--memory", "400m");
        List<String> operatorOptions = withOperatorHeap.output().lines().toList();
        assertThat(operatorOptions).as("the plan is made for the operator's heap, and leaves the collector to the operator")
                .containsSubsequence("-Xms200m", "-Xmx200m", "-XX:MaxDirectMemorySize=50m", "-Xmx200m", "-XX:+UseParallelGC")
                .doesNotContain("-XX:+UseSerialGC");
        assertThat(java(operatorOptions, "server", "--config", config.toString(), "--memory", "400m").output())
                .contains("memory 400MiB: heap 200MiB holding a block cache of 50MiB").contains("; parallel collector");
    }

    @Test
    void a_heap_that_does_not_fit_the_memory_is_refused_before_the_node_starts() throws Exception {
        Run refused = java(List.of(), "server", "--jvm-options", "--config", config().toString(), "--heap", "1g");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.output()).contains("--heap: a heap of 1GiB needs a memory of 1392MiB").contains("node.memory 300MiB");
    }
}
