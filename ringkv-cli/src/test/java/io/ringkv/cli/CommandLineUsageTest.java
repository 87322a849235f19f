package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong usage and bad input: one readable line on stderr and a non-zero exit status. */
class CommandLineUsageTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void assertOneLine(CliRun r, int status, String contains) {
        r.assertOneLine(status, contains);
    }

    @Test
    void usage_errors_exit_2_with_one_line() {
        assertOneLine(run(), 2, "missing command; expected one of: server, cluster, sim, bench");
        assertOneLine(run("cluster"), 2, "missing command; expected one of: start, status, stop");
        assertOneLine(run("frobnicate"), 2, "frobnicate");
        assertOneLine(run("server"), 2, "Missing required option: '--config=FILE'");
        assertOneLine(run("cluster", "start", "--nodes", "three"), 2, "'three' is not an int");
        assertOneLine(run("cluster", "start", "--nodes", "0", "--dir", dir.toString()), 2, "--nodes must be between 1 and 100");
        assertOneLine(run("cluster", "start", "--heap", "lots", "--dir", dir.toString()), 2, "--heap must be a size like 512m");
        assertOneLine(run("cluster", "start", "--heap", "64m", "--dir", dir.toString()), 2, "--heap must be at least 128m");
        assertOneLine(run("cluster", "start", "--memory", "200m", "--dir", dir.toString()), 2, "--memory must be at least 272m");
        assertOneLine(run("cluster", "stop", "--bogus"), 2, "Unknown option: '--bogus'");
        assertOneLine(run("sim", "ring", "--nodes", "0"), 2, "node counts must be between 1");
        assertOneLine(run("sim", "ring", "--allocation", "sideways"), 2, "sideways");
        assertOneLine(run("bench", "storage", "--keys", "0"), 2, "keys must be at least 1");
    }

    @Test
    void a_bad_config_file_is_one_line_naming_the_key() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "storage:\n  compresion: lz4\n");
        assertOneLine(run("server", "--config", config.toString()), 2, "storage.compresion: unknown key");
        assertOneLine(run("server", "--config", dir.resolve("absent.yaml").toString()), 2, "no such file");
    }

    @Test
    void status_and_stop_of_an_empty_directory_fail_with_a_hint() {
        assertOneLine(run("cluster", "status", "--dir", dir.toString()), 1, "no nodes in " + dir);
        assertOneLine(run("cluster", "stop", "--dir", dir.toString()), 1, "no nodes in " + dir);
    }

    @Test
    void help_and_version_exit_0() {
        assertThat(run("--help").status()).isZero();
        assertThat(run("cluster", "start", "--help").status()).isZero();
        assertThat(run("--version").status()).isZero();
    }

    @Test
    void sim_ring_runs_a_small_simulation() {
        assertThat(run("sim", "ring", "--nodes", "4,8", "--vnodes", "16", "--allocation", "random").status()).isIn(0, 1);
    }
}
