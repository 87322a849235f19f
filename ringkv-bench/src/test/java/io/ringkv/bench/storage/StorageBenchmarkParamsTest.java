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
        assertThat(p.engines()).containsExactly(EngineKind.RINGKV, EngineKind.ROCKSDB);
        assertThat(p.dir()).isNull();
    }

    @Test
    void rowsAndEnginesParseFromTheirIds() {
        StorageBenchmarkParams p = StorageBenchmarkParams.builder().rows("read, sync-write").engines("rocksdb,ringkv").build();
        assertThat(p.rows()).containsExactlyInAnyOrder(Row.RANDOM_READ, Row.SYNC_WRITE);
        assertThat(p.engines()).containsExactly(EngineKind.ROCKSDB, EngineKind.RINGKV);
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
    }

    @Test
    void mainParsesNameValueArguments() {
        StorageBenchmarkParams p = StorageBenchmark.parseArgs(new String[] {"--keys=5000", "--engines=rocksdb", "--rows=write"});
        assertThat(p.keys()).isEqualTo(5000);
        assertThat(p.engines()).containsExactly(EngineKind.ROCKSDB);
        assertThat(p.rows()).containsExactly(Row.RANDOM_WRITE);
        assertThatThrownBy(() -> StorageBenchmark.parseArgs(new String[] {"--keys"}))
                .hasMessageContaining("expected --name=value");
        assertThatThrownBy(() -> StorageBenchmark.parseArgs(new String[] {"--keys=many"}))
                .hasMessage("--keys needs a number, got 'many'");
        assertThatThrownBy(() -> StorageBenchmark.parseArgs(new String[] {"--colour=blue"}))
                .hasMessage("unknown option --colour");
    }
}
