package io.ringkv.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.KeyValue;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineSmokeTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetFlushReopen() {
        StorageOptions opts = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(50))
                .memtableFlushThresholdBytes(8192).mergeOperator((k, a, c) -> a == null ? c : concat(a, c)).build();
        try (StorageEngine e = StorageEngine.open(opts)) {
            for (int i = 0; i < 1000; i++) {
                e.put(b("k" + i), b("v" + i));
            }
            e.merge(b("k1"), b("+x"));
            e.delete(b("k2"));
            assertThat(e.get(b("k1"))).isEqualTo(b("v1+x"));
            assertThat(e.get(b("k2"))).isNull();
            e.flush();
            assertThat(e.stats().liveTables()).isPositive();
            assertThat(e.get(b("k999"))).isEqualTo(b("v999"));
        }
        try (StorageEngine e = StorageEngine.open(opts)) {
            assertThat(e.get(b("k1"))).isEqualTo(b("v1+x"));
            assertThat(e.get(b("k2"))).isNull();
            assertThat(e.get(b("k500"))).isEqualTo(b("v500"));
            e.compactAll();
            assertThat(e.stats().liveTables()).isEqualTo(1);
            List<KeyValue> all = new ArrayList<>();
            try (StorageEngine.RangeIterator it = e.scan(new byte[16], new byte[16])) {
                it.forEachRemaining(all::add);
            }
            assertThat(all).hasSize(999);
        }
    }

    static byte[] concat(byte[] a, byte[] c) {
        byte[] r = new byte[a.length + c.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(c, 0, r, a.length, c.length);
        return r;
    }
}
