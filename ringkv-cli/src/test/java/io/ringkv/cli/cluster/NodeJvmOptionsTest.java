package io.ringkv.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.server.config.MemoryBudget;
import io.ringkv.server.config.MemoryOverrides;
import io.ringkv.server.config.MemoryPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JVM options a node gets, from the options file, its memory plan and the operator's options. */
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
    void the_plans_options_come_after_the_files_and_the_operators_after_both_so_that_they_win() {
        MemoryPlan plan = MemoryBudget.plan(MemoryBudget.Request.defaults());

        List<String> expected = new ArrayList<>(NodeJvmOptions.forThisJdk());
        expected.addAll(List.of("-XX:MaxInlineLevel=9", "-Xms150m", "-Xmx150m", "-XX:MaxDirectMemorySize=37m",
                "-XX:MaxMetaspaceSize=96m", "-XX:+UseSerialGC", "-Xmx3g", "-Xss512k"));
        assertThat(NodeJvmOptions.forNode(List.of("-XX:MaxInlineLevel=9"), plan, NodeJvmOptions.split("  -Xmx3g   -Xss512k ")))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void from_jdk_24_on_netty_may_use_unsafe_memory_access_without_a_warning_in_every_node_log() {
        List<String> options = NodeJvmOptions.forNode(List.of(), MemoryBudget.plan(MemoryBudget.Request.defaults()), List.of());
        if (Runtime.version().feature() >= 24) {
            assertThat(options).startsWith("--sun-misc-unsafe-memory-access=allow");
        } else {
            assertThat(options).noneMatch(o -> o.startsWith("--sun-misc-unsafe-memory-access"));
        }
    }

    @Test
    void a_collector_chosen_in_the_file_or_by_the_operator_replaces_the_plans_since_the_jvm_refuses_two() {
        MemoryPlan plan = MemoryBudget.plan(MemoryBudget.Request.defaults());

        assertThat(NodeJvmOptions.forNode(List.of(), plan, List.of("-XX:+UseParallelGC")))
                .doesNotContain("-XX:+UseSerialGC").endsWith("-XX:+UseParallelGC");
        assertThat(NodeJvmOptions.forNode(List.of("-XX:+UseZGC"), plan, List.of())).doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void sizes_on_the_command_line_take_the_jvms_syntax_and_are_checked() {
        assertThat(NodeJvmOptions.parseSize("512m", "--heap")).isEqualTo(512L << 20);
        assertThat(NodeJvmOptions.parseSize("2G", "--memory")).isEqualTo(2L << 30);
        assertThat(NodeJvmOptions.parseSize("268435456", "--heap")).isEqualTo(268435456L);
        assertThatThrownBy(() -> NodeJvmOptions.parseSize("1.5g", "--heap")).hasMessage("--heap must be a size like 512m or 2g, got '1.5g'");
        assertThatThrownBy(() -> NodeJvmOptions.parseSize("-1g", "--memory")).hasMessageContaining("a size like 512m or 2g");
        assertThatThrownBy(() -> NodeJvmOptions.overrides(null, "127m", List.of())).hasMessage("--heap must be at least 128m, got '127m'");
        assertThatThrownBy(() -> NodeJvmOptions.overrides("255m", null, List.of())).hasMessage("--memory must be at least 272m, got '255m'");
    }

    @Test
    void the_last_xmx_of_the_file_or_the_operator_is_the_heap_the_plan_is_made_for() {
        assertThat(NodeJvmOptions.overrides("1g", "512m", List.of())).isEqualTo(
                new MemoryOverrides(OptionalLong.of(1L << 30), OptionalLong.of(512L << 20), "--heap"));
        assertThat(NodeJvmOptions.overrides(null, "512m", List.of("-Xmx2g", "-Xss1m", "-Xmx768M"))).isEqualTo(
                new MemoryOverrides(OptionalLong.empty(), OptionalLong.of(768L << 20), "-Xmx768M"));
    }

    @Test
    void the_shipped_options_file_parses_to_jvm_options_only() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent(); // tests run in ringkv-cli/
        List<String> options = NodeJvmOptions.fromHome(checkout.toString());

        assertThat(options).isNotEmpty().allSatisfy(o -> assertThat(o).startsWith("-").doesNotContainAnyWhitespaces());
    }
}
