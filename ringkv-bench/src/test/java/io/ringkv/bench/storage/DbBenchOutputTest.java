package io.ringkv.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** db_bench's result lines as RocksDB 7.8's db_bench prints them (copied from a run). */
class DbBenchOutputTest {
    private static final List<String> LINES = List.of(
            "Integrated BlobDB: blob cache disabled",
            "filluniquerandom :       6.592 micros/op 151696 ops/sec 19.776 seconds 3000000 operations;   17.4 MB/s",
            "Microseconds per write:",
            "Count: 3000000 Average: 6.5916  StdDev: 261.67",
            "Percentiles: P50: 4.30 P75: 5.60 P99: 14.03 P99.9: 75.67 P99.99: 3773.82",
            "flush memtable",
            "readrandom   :      10.039 micros/op 99615 ops/sec 10.039 seconds 1000000 operations;   11.4 MB/s "
                    + "(1000000 of 1000000 found)",
            "Percentiles: P50: 9.29 P75: 12.30 P99: 21.73 P99.9: 92.41 P99.99: 208.92",
            "readmissing  :       0.388 micros/op 2576164 ops/sec 0.388 seconds 1000000 operations; (0 of 1000000 found)");

    @Test
    void eachBenchmarkGetsItsFiguresAndTheFollowingPercentiles() {
        DbBenchOutput output = DbBenchOutput.parse(LINES);

        DbBenchOutput.Result fill = output.require("filluniquerandom", LINES);
        assertThat(fill.opsPerSecond()).isEqualTo(151_696);
        assertThat(fill.seconds()).isEqualTo(19.776);
        assertThat(fill.operations()).isEqualTo(3_000_000);
        assertThat(fill.found()).isEqualTo(-1);
        assertThat(fill.latency().p50Micros()).isEqualTo(4.30);
        assertThat(fill.latency().p99Micros()).isEqualTo(14.03);
        assertThat(fill.latency().p999Micros()).isEqualTo(75.67);

        DbBenchOutput.Result read = output.require("readrandom", LINES);
        assertThat(read.found()).isEqualTo(1_000_000);
        assertThat(read.latency().p99Micros()).isEqualTo(21.73);

        DbBenchOutput.Result missing = output.require("readmissing", LINES);
        assertThat(missing.found()).isZero();
        assertThat(missing.latency()).as("no percentile line followed it").isNull();
    }

    @Test
    void aMissingResultNamesWhatDbBenchPrintedInstead() {
        List<String> failed = List.of("Invalid argument: --cache_type=bogus");
        assertThatThrownBy(() -> DbBenchOutput.parse(failed).require("readrandom", failed))
                .hasMessageContaining("no result for readrandom").hasMessageContaining("Invalid argument");
    }
}
