package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.Occurred;
import io.ringkv.core.version.VectorClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamo §4.4 through the quorum coordinator: concurrent writes become siblings, a merged context resolves them. */
class VersioningAcrossCoordinatorsTest {
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;

    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writes_without_context_through_different_coordinators_become_siblings_and_a_merged_context_resolves_them() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("cart:bob");

        cluster.kv("n1").put(key, null, bytes("book"), DEFAULTS);
        cluster.kv("n2").put(key, null, bytes("pen"), DEFAULTS);

        GetResult both = cluster.kv("n3").get(key, DEFAULTS);
        assertThat(strings(both)).containsExactly("book", "pen");

        cluster.kv("n3").put(key, both.context(), bytes("book, pen"), DEFAULTS);
        assertThat(strings(cluster.kv("n1").get(key, DEFAULTS))).containsExactly("book, pen");
        TestCluster.eventually("every replica resolved", () -> List.of("n1", "n2", "n3").stream()
                .allMatch(id -> liveStrings(cluster.stored(id, key)).equals(List.of("book, pen"))));
    }

    @Test
    void writes_with_the_same_context_through_different_coordinators_become_siblings() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("cart:carol");
        String context = cluster.kv("n1").put(key, null, bytes("v0"), DEFAULTS).context();

        cluster.kv("n2").put(key, context, bytes("from n2"), DEFAULTS);
        cluster.kv("n3").put(key, context, bytes("from n3"), DEFAULTS);

        GetResult got = cluster.kv("n1").get(key, new RequestOptions(3, 0, 0));
        assertThat(strings(got)).containsExactly("from n2", "from n3");
        cluster.kv("n1").put(key, got.context(), bytes("merged"), DEFAULTS);
        assertThat(strings(cluster.kv("n2").get(key, new RequestOptions(3, 0, 0)))).containsExactly("merged");
    }

    @Test
    void truly_concurrent_writes_from_many_threads_through_every_coordinator_are_all_kept() throws Exception {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("hot");
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                String coordinator = "n" + (1 + i % 3);
                byte[] value = bytes("v" + i);
                puts.add(CompletableFuture.supplyAsync(() -> cluster.kv(coordinator).put(key, null, value, DEFAULTS), threads));
            }
            for (CompletableFuture<PutResult> put : puts) {
                assertThat(put.get().acknowledgements()).isEqualTo(2);
            }
        }
        GetResult got = cluster.kv("n1").get(key, new RequestOptions(3, 0, 0));
        assertThat(got.values()).hasSize(24);
    }

    /**
     * docs/design/versioning.md, "A requirement on the cluster coordinator": a replica that missed
     * one of n1's writes must not receive a later n1 version alone, or a client reading only that
     * replica would get a context claiming the missed write and silently supersede it.
     */
    @Test
    void the_coordinator_replicates_its_merged_sibling_set_not_just_the_new_version() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("gap");
        cluster.isolate("n3");
        cluster.kv("n1").put(key, null, bytes("first"), DEFAULTS);
        cluster.network.healAll();

        cluster.kv("n1").put(key, null, bytes("second"), new RequestOptions(0, 3, 0));

        assertThat(liveStrings(cluster.stored("n3", key))).containsExactly("first", "second");
        GetResult fromN3Alone = cluster.kv("n3").get(key, new RequestOptions(1, 0, 0));
        assertThat(strings(fromN3Alone)).contains("first", "second");
    }

    /**
     * The design notes' D1..D5 (Dynamo §4.4, Figure 3) with servers Sx, Sy, Sz, each writing as an
     * actor named after itself (not a per-start incarnation) so the clocks read exactly as in the notes.
     */
    @Test
    void the_design_notes_d1_to_d5_scenario() {
        Clock epoch = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        cluster = new TestCluster(dir, List.of("Sx", "Sy", "Sz"),
                TestCluster.Settings.defaults().withClocks(Map.of("Sx", epoch, "Sy", epoch, "Sz", epoch))
                        .withActorsNamedAfterNodes());
        byte[] key = bytes("D");
        RequestOptions all = new RequestOptions(3, 3, 0);

        String d1 = cluster.kv("Sx").put(key, null, bytes("D1"), all).context();
        assertThat(clock(d1)).isEqualTo(clock("Sx", 1));
        String d2 = cluster.kv("Sx").put(key, d1, bytes("D2"), all).context();
        assertThat(clock(d2)).isEqualTo(clock("Sx", 2));
        assertThat(strings(cluster.kv("Sz").get(key, all))).containsExactly("D2");

        String d3 = cluster.kv("Sy").put(key, d2, bytes("D3"), all).context();
        String d4 = cluster.kv("Sz").put(key, d2, bytes("D4"), all).context();
        assertThat(clock(d3)).isEqualTo(clock("Sx", 2, "Sy", 1));
        assertThat(clock(d4)).isEqualTo(clock("Sx", 2, "Sz", 1));
        assertThat(clock(d3).compare(clock(d4))).isEqualTo(Occurred.CONCURRENT);

        GetResult conflict = cluster.kv("Sx").get(key, all);
        assertThat(strings(conflict)).containsExactly("D3", "D4");
        assertThat(clock(conflict.context())).isEqualTo(clock("Sx", 2, "Sy", 1, "Sz", 1));

        String d5 = cluster.kv("Sx").put(key, conflict.context(), bytes("D5"), all).context();
        assertThat(clock(d5)).isEqualTo(clock("Sx", 3, "Sy", 1, "Sz", 1));
        for (String server : List.of("Sx", "Sy", "Sz")) {
            assertThat(strings(cluster.kv(server).get(key, all))).containsExactly("D5");
            assertThat(liveStrings(cluster.stored(server, key))).containsExactly("D5");
        }
    }

    /** Only node ids and counters: timestamps are not part of the order. No exact events: each context is a plain clock here. */
    private static VectorClock clock(String context) {
        CausalContext decoded = TestCluster.CONTEXTS.decode(context);
        assertThat(decoded.dots()).isEmpty();
        return strip(decoded.past());
    }

    private static VectorClock strip(VectorClock c) {
        return VectorClock.of(c.entries().stream().map(e -> new VectorClock.Entry(e.nodeId(), e.counter(), 0)).toList());
    }

    private static VectorClock clock(Object... idsAndCounters) {
        List<VectorClock.Entry> entries = new ArrayList<>();
        for (int i = 0; i < idsAndCounters.length; i += 2) {
            entries.add(new VectorClock.Entry((String) idsAndCounters[i], ((Integer) idsAndCounters[i + 1]).longValue(), 0));
        }
        return VectorClock.of(entries);
    }
}
