package io.ringkv.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster autoscale} refuses bad bounds and thresholds, and a directory with no node running, in one line. */
class ClusterAutoscaleUsageTest {
    @TempDir
    Path dir;

    private CliRun autoscale(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "cluster";
        all[1] = "autoscale";
        all[2] = "--dir";
        all[3] = dir.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return CliRun.of(all);
    }

    @Test
    void bad_bounds_and_thresholds_are_usage_errors() {
        autoscale("--min", "0").assertOneLine(2, "--min must be at least 1, got 0");
        autoscale("--min", "4", "--max", "3").assertOneLine(2, "--max must be between --min (4) and 100, got 3");
        autoscale("--scale-up-ops", "100", "--scale-down-ops", "100").assertOneLine(2, "--scale-down-ops must be at least 0 and"
                + " below --scale-up-ops");
        autoscale("--p99-ceiling-ms", "-1").assertOneLine(2, "--p99-ceiling-ms must be positive");
        autoscale("--interval-seconds", "0").assertOneLine(2, "--interval-seconds must be between 0.1 and 3600");
        autoscale("--sustain-seconds", "-5").assertOneLine(2, "--sustain-seconds must be between 0 and 86400");
        autoscale("--duration", "0").assertOneLine(2, "--duration must be positive");
        autoscale("--max", "many").assertOneLine(2, "'many' is not an int");
        autoscale("--interval-seconds", "soon").assertOneLine(2, "'soon' is not a double");
    }

    @Test
    void without_a_running_node_it_says_how_to_start_one() {
        autoscale("--min", "3").assertOneLine(1, "no node of " + dir + " is running; start the cluster first with"
                + " 'ringkv cluster start --nodes 3 --dir " + dir + "'");
    }
}
