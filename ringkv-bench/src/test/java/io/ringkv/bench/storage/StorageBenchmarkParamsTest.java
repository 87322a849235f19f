package io.ringkv.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorageBenchmarkParamsTest {
    @Test
    void defaultsAreTheFiguresTheDocsReport() {
        StorageBenchmarkParams p = StorageBenchmarkParams.builder().build();
        assertThat(p.keys()).isEqualTo(1_000_000);
        assertThat(p.valueBytes()).isEqualTo(100);
        assertThat(p.syncWriters()).isEqualTo(16);
        assertThat(p.syncWritesPerWriter()).isEqualTo(2_000);
        assertThat(p.rows()).isEqualTo(EnumSet.allOf(Row.class));
        assertThat(p.engines()).containsExactly(EngineKind.RINGKV, EngineKind.ROCKSDBJNI, EngineKind.DB_BENCH);
        assertThat(p.repeats()).isEqualTo(5);
        assertThat(EngineSettings.BLOCK_CACHE_BYTES).as("the in-memory rows' cache, as docs/benchmarks.md says")
                .isEqualTo(256L << 20);
        assertThat(p.bigDataBytes()).as("the big rows' data is at least 4x their cache")
                .isGreaterThanOrEqualTo(4 * p.bigCacheBytes());
        assertThat(p.dir()).isNull();
    }

    @Test
    void rowsAndEnginesParseFromTheirIds() {
        StorageBenchmarkParams p = StorageBenchmarkParams.builder().rows("read, sync-write,big-mixed")
                .engines("db_bench,rocksdbjni,ringkv").build();
        assertThat(p.rows()).containsExactlyInAnyOrder(Row.RANDOM_READ, Row.SYNC_WRITE, Row.BIG_MIXED);
        assertThat(p.engines()).containsExactly(EngineKind.DB_BENCH, EngineKind.ROCKSDBJNI, EngineKind.RINGKV);
        assertThat(StorageBenchmarkParams.builder().engines("rocksdb").build().engines())
                .as("the old name of the Java binding's engine").containsExactly(EngineKind.ROCKSDBJNI);
    }

    @Test
    void badValuesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> StorageBenchmarkParams.builder().keys(0).build())
                .hasMessage("keys must be at least 1, was 0");
        assertThatThrownBy(() -> StorageBenchmarkParams.builder().rows("scan").build())
                .hasMessageContaining("unknown row 'scan'").hasMessageContaining("sync-write");
        assertThatThrownBy(() -> StorageBenchmarkParams.builder().engines("leveldb").build())
                .hasMessageContaining("unknown engine 'leveldb'");
        assertThatThrownBy(() -> StorageBenchmarkParams.builder().engines(List.of(EngineKind.RINGKV, EngineKind.RINGKV)).build())
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> StorageBenchmarkParams.builder().syncWriters(0).build())
                .hasMessageContaining("sync writers must be 1..1024");
        assertThatThrownBy(() -> StorageBenchmarkParams.builder().repeats(0).build())
                .hasMessage("repeats must be 1..100, was 0");
        assertThatThrownBy(() -> StorageBenchmarkParams.builder().bigKeys(100_000).bigCacheBytes(64L << 20).build())
                .hasMessageContaining("must be at least 4x their cache").hasMessageContaining("--big-keys");
        // The big rows' size rule applies only when they run.
        assertThat(StorageBenchmarkParams.builder().bigKeys(100_000).rows("read").build().bigKeys()).isEqualTo(100_000);
    }

    @Test
    void mainParsesNameValueArguments() {
        StorageBenchmarkParams p = StorageBenchmark.parseArgs(new String[] {"--keys=5000", "--engines=rocksdb", "--rows=write",
                "--repeat=3", "--big-keys=100000", "--big-cache-mib=2"});
        assertThat(p.keys()).isEqualTo(5000);
        assertThat(p.engines()).containsExactly(EngineKind.ROCKSDBJNI);
        assertThat(p.repeats()).isEqualTo(3);
        assertThat(p.bigCacheBytes()).isEqualTo(2L << 20);
        assertThat(p.rows()).containsExactly(Row.RANDOM_WRITE);
        assertThatThrownBy(() -> StorageBenchmark.parseArgs(new String[] {"--keys"}))
                .hasMessageContaining("expected --name=value");
        assertThatThrownBy(() -> StorageBenchmark.parseArgs(new String[] {"--keys=many"}))
                .hasMessage("--keys needs a number, got 'many'");
        assertThatThrownBy(() -> StorageBenchmark.parseArgs(new String[] {"--colour=blue"}))
                .hasMessage("unknown option --colour");
    }
}
