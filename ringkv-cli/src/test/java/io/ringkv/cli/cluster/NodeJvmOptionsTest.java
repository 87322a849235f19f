package io.ringkv.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JVM options a local node gets, from the options file, --heap and RINGKV_NODE_JAVA_OPTS. */
class NodeJvmOptionsTest {
    @TempDir
    Path home;

    @Test
    void the_options_file_has_one_option_a_line_with_comments_and_blank_lines_skipped() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve(NodeJvmOptions.OPTIONS_FILE), """
                # a comment
                -XX:FreqInlineSize=70

                   -XX:MaxInlineLevel=9   # why, on the same line
                """);

        assertThat(NodeJvmOptions.fromHome(home.toString())).containsExactly("-XX:FreqInlineSize=70", "-XX:MaxInlineLevel=9");
    }

    @Test
    void without_a_home_or_a_file_there_are_no_file_options() {
        assertThat(NodeJvmOptions.fromHome(null)).isEmpty();
        assertThat(NodeJvmOptions.fromHome(home.toString())).isEmpty();
    }

    @Test
    void the_operators_options_come_after_the_file_and_the_heap_so_that_they_win() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve(NodeJvmOptions.OPTIONS_FILE), "-XX:MaxInlineLevel=9\n");

        assertThat(NodeJvmOptions.forNode(home.toString(), "2G", "  -Xmx3g   -XX:+UseParallelGC "))
                .containsExactly("-XX:MaxInlineLevel=9", "-Xms2g", "-Xmx2g", "-Xmx3g", "-XX:+UseParallelGC");
    }

    @Test
    void the_heap_is_fixed_and_checked() {
        assertThat(NodeJvmOptions.fixedHeap("512m")).isEqualTo(List.of("-Xms512m", "-Xmx512m"));
        assertThat(NodeJvmOptions.fixedHeap("268435456")).isEqualTo(List.of("-Xms268435456", "-Xmx268435456"));
        assertThatThrownBy(() -> NodeJvmOptions.fixedHeap("1.5g")).hasMessageContaining("a size like 512m or 2g");
        assertThatThrownBy(() -> NodeJvmOptions.fixedHeap("-1g")).hasMessageContaining("a size like 512m or 2g");
        assertThatThrownBy(() -> NodeJvmOptions.fixedHeap("255m")).hasMessageContaining("at least 256m");
    }

    @Test
    void the_shipped_options_file_parses_to_jvm_options_only() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent(); // tests run in ringkv-cli/
        List<String> options = NodeJvmOptions.fromHome(checkout.toString());

        assertThat(options).isNotEmpty().allSatisfy(o -> assertThat(o).startsWith("-").doesNotContainAnyWhitespaces());
    }
}
