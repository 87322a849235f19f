package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.storage.Compression;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {
    @TempDir
    Path dir;

    private NodeConfig parse(String yaml) {
        return NodeConfigLoader.parse(yaml, dir);
    }

    private String errorOf(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    @Test
    void an_empty_file_gives_the_documented_defaults() {
        NodeConfig c = parse("");
        assertThat(c.nodeId()).isEqualTo("node1");
        assertThat(c.dataDirectory()).isEqualTo(dir.resolve("data"));
        assertThat(c.http()).isEqualTo(new HttpConfig("127.0.0.1", 8001, 256, 64 << 10, 0));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(1024, 10240));
        assertThat(c.versioning()).isEqualTo(new VersioningConfig(64, 32, ConflictPolicy.SIBLINGS));
        assertThat(c.replication()).isEqualTo(new ReplicationConfig(3, 2, 2, Map.of(), 2_000, true, false, 20));
        assertThat(c.replication().strategy()).isEqualTo(ReplicationStrategy.simple(3));
        assertThat(c.cluster()).isEqualTo(new ClusterConfig("ringkv", "127.0.0.1", 9001, List.of(), "dc1", "rack1", 1,
                1_000, 3, 8_000, 0, ""));
        assertThat(c.cluster().gossip()).isEqualTo(GossipConfig.builder().build());

        // The engine's own defaults, except the sizes held in memory: the default memory plan's.
        StorageOptions engineDefaults = StorageOptions.builder(dir).build();
        StorageOptions fromConfig = c.storage().toOptions(dir).build();
        assertThat(c.memory()).isEqualTo(MemoryBudget.plan(MemoryBudget.Request.defaults()));
        assertThat(fromConfig).isEqualTo(engineDefaults.toBuilder().clock(fromConfig.clock())
                .blockCacheBytes(37L << 20).memtableFlushThresholdBytes(9L << 20).maxImmutableMemtables(2).build());
        assertThat(c.storage().syncPolicy()).isEqualTo(SyncPolicy.batch(2));
        assertThat(c.storage().compression()).isEqualTo(Compression.LZ4);
    }

    @Test
    void reads_every_section_with_sizes_and_durations() {
        NodeConfig c = parse("""
                node: {id: alpha-1, dataDir: /var/lib/ringkv, memory: 4GiB}
                http: {host: 0.0.0.0, port: 9100, maxInFlightRequests: 8, maxRequestBodySize: 1MiB, ioThreads: 2}
                storage:
                  sync: {policy: periodic, intervalMillis: 250}
                  commitLogSegmentSize: 8MiB
                  memtableSize: 4194304
                  maxImmutableMemtables: 3
                  blockSize: 4KiB
                  compression: NONE
                  bloomFalsePositiveRate: 0.05
                  blockCacheSize: 1GiB
                  compaction: {minThreshold: 2, maxThreshold: 8, maxTablesBeforeStall: 20}
                  tombstoneGracePeriod: 2h
                limits: {maxKeySize: 512, maxKeyValueSize: 20KiB}
                versioning: {maxVectorClockEntries: 5, maxSiblings: 3, conflictPolicy: lww}
                cluster:
                  name: shop
                  peerHost: 10.0.0.1
                  peerPort: 7000
                  seeds: ["10.0.0.2:7000", "10.0.0.3:7000"]
                  dataCenter: eu
                  rack: r9
                  weight: 2
                  gossip: {interval: 500ms, fanout: 4, suspectAfter: 5s}
                  ioThreads: 3
                  secret: 0123456789abcdef-shop
                replication: {n: 5, r: 3, w: 1, perDataCenter: {}, requestTimeout: 750ms, readRepair: false, readFromAll: true,
                              speculativeRetry: 0, sloppyQuorum: false, readFallbacks: false, hintAfter: 100ms,
                              hints: {window: 1h, maxSize: 64MiB, throttle: 1MiB, deliveryInterval: 5s}}
                """);
        assertThat(c.nodeId()).isEqualTo("alpha-1");
        assertThat(c.dataDirectory()).isEqualTo(Path.of("/var/lib/ringkv"));
        assertThat(c.memory().memoryBytes()).isEqualTo(4L << 30);
        assertThat(c.http()).isEqualTo(new HttpConfig("0.0.0.0", 9100, 8, 1 << 20, 2));
        assertThat(c.storage()).isEqualTo(new StorageConfig(SyncPolicy.periodic(250), 8L << 20, 4L << 20, 3, 4096,
                Compression.NONE, 0.05, 1L << 30, 2, 8, 20, 2 * 3_600_000L));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(512, 20 << 10));
        assertThat(c.versioning()).isEqualTo(new VersioningConfig(5, 3, ConflictPolicy.LWW));
        assertThat(c.cluster()).isEqualTo(new ClusterConfig("shop", "10.0.0.1", 7000,
                List.of(new PeerAddress("10.0.0.2", 7000), new PeerAddress("10.0.0.3", 7000)), "eu", "r9", 2, 500, 4, 5_000, 3,
                "0123456789abcdef-shop"));
        assertThat(c.cluster().gossip().clusterName()).isEqualTo("shop");
        assertThat(c.cluster().gossip().gossipTimeoutMillis()).isEqualTo(1_000);
        assertThat(c.replication()).isEqualTo(new ReplicationConfig(5, 3, 1, Map.of(), 750, false, true, 0,
                new HandoffConfig(false, false, 100, 3_600_000, 64L << 20, 1L << 20, 5_000)));
    }

    @Test
    void the_memory_sizes_the_caches_unless_they_are_given() {
        NodeConfig c = parse("node: {memory: 1392MiB}");
        assertThat(c.memory().heapBytes()).isEqualTo(1024L << 20);
        assertThat(c.storage().blockCacheBytes()).isEqualTo(256L << 20);
        assertThat(c.storage().memtableBytes()).isEqualTo(64L << 20);

        NodeConfig explicit = parse("node: {memory: 1392MiB}\nstorage: {blockCacheSize: 100MiB, maxImmutableMemtables: 4}");
        assertThat(explicit.storage().blockCacheBytes()).isEqualTo(100L << 20);
        assertThat(explicit.storage().memtableBytes()).isEqualTo(64L << 20);
        assertThat(explicit.storage().maxImmutableMemtables()).isEqualTo(4);
        assertThat(explicit.memory().blockCacheBytes()).isEqualTo(100L << 20);
    }

    @Test
    void the_command_lines_memory_and_heap_win_over_the_files() {
        MemoryOverrides commandLine = new MemoryOverrides(OptionalLong.of(2L << 30), OptionalLong.empty(), "--heap");
        NodeConfig c = NodeConfigLoader.parse("node: {memory: 300MiB}", dir, commandLine);
        assertThat(c.memory().memoryBytes()).isEqualTo(2L << 30);

        MemoryOverrides jvm = new MemoryOverrides(OptionalLong.empty(), OptionalLong.of(512L << 20), "-Xmx512m");
        assertThat(NodeConfigLoader.parse("", dir, jvm).storage().blockCacheBytes()).isEqualTo(128L << 20);
        assertThatThrownBy(() -> NodeConfigLoader.parse("node: {memory: 300MiB}", dir, jvm)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("-Xmx512m: a heap of 512MiB needs a memory of 752MiB");
    }

    @Test
    void caches_that_do_not_fit_the_memory_and_too_little_memory_are_refused() {
        assertThat(errorOf("storage: {blockCacheSize: 256MiB}")).startsWith("storage.blockCacheSize: a block cache of 256MiB")
                .contains("the 150MiB heap of node.memory 300MiB");
        assertThat(errorOf("node: {memory: 200MiB}")).isEqualTo("node.memory: must be between 272MiB and 1TiB, got 200MiB");
    }

    @Test
    void replace_names_another_node() {
        assertThat(parse("").replace()).isEmpty();
        assertThat(parse("node: {id: node4}\nreplace: node3").replace()).contains("node3");
        assertThat(errorOf("node: {id: node4}\nreplace: node4"))
                .isEqualTo("replace: must be the id of another node (the dead node this one takes over), got \"node4\"");
        assertThat(errorOf("replace: \"no spaces\"")).startsWith("replace: must be the id of another node");
    }

    @Test
    void the_hint_window_must_be_shorter_than_the_tombstone_grace_period() {
        assertThat(parse("").replication().handoff()).isEqualTo(HandoffConfig.DEFAULTS);
        assertThat(errorOf("storage: {tombstoneGracePeriod: 2h}"))
                .startsWith("replication.hints.window: must be shorter than storage.tombstoneGracePeriod (7200000 ms), got 10800000 ms");
    }

    @Test
    void the_purge_margin_must_be_at_least_the_hint_window_while_anti_entropy_is_on() {
        String error = errorOf("antiEntropy: {purgeMargin: 1h}");
        assertThat(error).isEqualTo("antiEntropy.purgeMargin: must be at least replication.hints.window (10800000 ms), got"
                + " 3600000 ms: a hint of a deleted value delivered after its tombstone was purged would bring the value back");
        assertThat(error).doesNotContain("\n");
        assertThat(errorOf("replication: {hints: {window: 5h}}")).startsWith("antiEntropy.purgeMargin: must be at least"
                + " replication.hints.window (18000000 ms), got 14400000 ms");
        assertThat(parse("replication: {hints: {window: 1h}}\nantiEntropy: {purgeMargin: 1h}").antiEntropy().config()
                .purgeMarginMillis()).isEqualTo(3_600_000);
        // off, nothing is ever purged: the margin guards nothing
        assertThat(parse("antiEntropy: {enabled: false, purgeMargin: 1h}").antiEntropy().enabled()).isFalse();
    }

    @Test
    void anti_entropy_is_on_by_default_and_every_key_is_read() {
        assertThat(parse("").antiEntropy())
                .isEqualTo(new AntiEntropySettings(true, io.ringkv.cluster.antientropy.AntiEntropyConfig.defaults()));
        AntiEntropySettings ae = parse("""
                antiEntropy:
                  enabled: false
                  background: false
                  interval: 2h
                  initialDelay: 0
                  throttle: 16MiB
                  depth: 12
                  requestTimeout: 5s
                  purgeMargin: 1d
                """).antiEntropy();
        assertThat(ae).isEqualTo(new AntiEntropySettings(false, new io.ringkv.cluster.antientropy.AntiEntropyConfig(
                false, 7_200_000, 0, 16L << 20, 12, 5_000, 86_400_000)));
        assertThat(errorOf("antiEntropy: {depth: 21}")).startsWith("antiEntropy.depth");
        assertThat(errorOf("antiEntropy: {interval: 10ms}")).startsWith("antiEntropy.interval");
    }

    @Test
    void the_default_consistency_is_a_local_quorum_with_replicas_per_data_center_and_a_count_otherwise() {
        assertThat(parse("").replication().consistency()).isEqualTo(Consistency.COUNT);
        assertThat(parse("replication: {perDataCenter: {dc1: 2, dc2: 2}}").replication().consistency())
                .isEqualTo(Consistency.LOCAL_QUORUM);
        assertThat(parse("replication: {perDataCenter: {dc1: 2, dc2: 2}, consistency: count}").replication().consistency())
                .isEqualTo(Consistency.COUNT);
        assertThat(parse("replication: {consistency: each_quorum}").replication().consistency())
                .isEqualTo(Consistency.EACH_QUORUM);
        assertThat(errorOf("replication: {consistency: quorum}"))
                .isEqualTo("replication.consistency: expected count, local_quorum or each_quorum, got \"quorum\"");
        assertThat(errorOf("replication: {consistency: default}")).startsWith("replication.consistency: expected count");
    }

    @Test
    void per_data_center_replication_replaces_n() {
        ReplicationConfig r = parse("replication: {perDataCenter: {dc1: 3, dc2: 2}, r: 3, w: 4}").replication();
        assertThat(r.n()).isEqualTo(5);
        assertThat(r.strategy()).isEqualTo(ReplicationStrategy.perDataCenter(Map.of("dc1", 3, "dc2", 2)));
        assertThat(parse("replication: {n: 5, perDataCenter: {dc1: 3, dc2: 2}}").replication().n()).isEqualTo(5);
        assertThat(errorOf("replication: {n: 3, perDataCenter: {dc1: 3, dc2: 2}}"))
                .isEqualTo("replication.n: is 3 but perDataCenter, which replaces it, adds up to 5; remove n or make them agree");
        assertThat(errorOf("replication: {perDataCenter: {dc1: 1}, w: 2}"))
                .isEqualTo("replication.w: must be at most N (1, the sum of perDataCenter), got 2");
        assertThat(errorOf("replication: {perDataCenter: {dc1: 0}}"))
                .isEqualTo("replication.perDataCenter: the value of dc1 must be a whole number between 1 and 64, got 0");
        assertThat(errorOf("replication: {perDataCenter: [dc1]}")).startsWith("replication.perDataCenter: expected a mapping");
        assertThat(errorOf("replication: {perDataCenter: {dc1: 40, dc2: 40}}"))
                .isEqualTo("replication.perDataCenter: adds up to 80 replicas; at most 64");
    }

    @Test
    void small_n_lowers_the_default_quorums() {
        ReplicationConfig one = parse("replication: {n: 1}").replication();
        assertThat(one).isEqualTo(new ReplicationConfig(1, 1, 1, Map.of(), 2_000, true, false, 20));
        assertThat(errorOf("replication: {n: 1, r: 2}")).isEqualTo("replication.r: must be at most n (1), got 2");
        assertThat(errorOf("replication: {n: 2, w: 3}")).isEqualTo("replication.w: must be at most n (2), got 3");
    }

    @Test
    void cluster_keys_are_checked() {
        assertThat(errorOf("cluster: {gossip: {interval: 1s, suspectAfter: 1500ms}}")).isEqualTo(
                "cluster.gossip.suspectAfter: must be at least two gossip intervals (2000ms): one silent round is normal, got 1500ms");
        assertThat(parse("cluster: {gossip: {interval: 5s}}").cluster().suspectAfterMillis())
                .as("the default suspectAfter grows with a long interval").isEqualTo(10_000);
        assertThat(errorOf("cluster: {gossip: {interval: 1x}}")).startsWith("cluster.gossip.interval: expected a duration");
        assertThat(errorOf("cluster: {gossip: {fanout: 0}}")).isEqualTo("cluster.gossip.fanout: must be between 1 and 32, got 0");
        assertThat(errorOf("cluster: {gossip: {intervall: 1s}}")).startsWith("cluster.gossip.intervall: unknown key");
        assertThat(errorOf("cluster: {peerHost: 0.0.0.0}")).startsWith("cluster.peerHost: must be an address peers can reach");
        assertThat(errorOf("cluster: {peerPort: 0}")).isEqualTo("cluster.peerPort: must be between 1 and 65535, got 0");
        assertThat(errorOf("cluster: {seeds: [\"127.0.0.1:9001\", \"127.0.0.1:9001\"]}"))
                .isEqualTo("cluster.seeds: 127.0.0.1:9001 is listed twice");
        assertThat(errorOf("cluster: {seeds: \"127.0.0.1:9001\"}")).startsWith("cluster.seeds: expected a list");
        assertThat(errorOf("cluster: {name: 'two words'}")).startsWith("cluster.name: must be 1-64 letters");
        assertThat(errorOf("replication: {readRepair: maybe}")).isEqualTo("replication.readRepair: expected true or false, got \"maybe\"");
        assertThat(errorOf("replication: {requestTimeout: 0}")).isEqualTo("replication.requestTimeout: must be between 1ms and 600000ms, got 0ms");
        assertThat(errorOf("replication: {speculativeRetry: -5}")).startsWith("replication.speculativeRetry: must be between 0ms");
        assertThat(errorOf("replication: {readFromAll: sometimes}")).startsWith("replication.readFromAll:");
    }

    @Test
    void sync_policy_takes_its_own_parameter_only() {
        assertThat(parse("storage: {sync: {policy: always}}").storage().syncPolicy()).isEqualTo(SyncPolicy.always());
        assertThat(parse("storage: {sync: {policy: batch, windowMillis: 5ms}}").storage().syncPolicy()).isEqualTo(SyncPolicy.batch(5));
        assertThat(parse("storage: {sync: {policy: periodic}}").storage().syncPolicy()).isEqualTo(SyncPolicy.periodic(1000));
        assertThat(errorOf("storage: {sync: {policy: always, windowMillis: 5}}"))
                .isEqualTo("storage.sync.windowMillis: only applies when policy is batch (policy is always)");
        assertThat(errorOf("storage: {sync: {policy: batch, intervalMillis: 5}}"))
                .startsWith("storage.sync.intervalMillis: only applies when policy is periodic");
        assertThat(errorOf("storage: {sync: {policy: sometimes}}"))
                .isEqualTo("storage.sync.policy: must be one of always, batch, periodic, got \"sometimes\"");
    }

    @Test
    void unknown_keys_are_named_with_their_full_path() {
        assertThat(errorOf("storage:\n  compresion: lz4\n")).startsWith("storage.compresion: unknown key (known keys in storage: ")
                .contains("compression");
        assertThat(errorOf("nodes: {id: x}")).startsWith("nodes: unknown key (known keys: ");
        assertThat(errorOf("storage: {compaction: {minThresold: 3}}")).startsWith("storage.compaction.minThresold: unknown key");
    }

    @Test
    void bad_values_are_named_with_what_was_expected() {
        assertThat(errorOf("storage: {blockSize: banana}"))
                .isEqualTo("storage.blockSize: expected a size such as 1024, 16KiB or 64MiB, got \"banana\"");
        assertThat(errorOf("storage: {blockSize: 64KB}")).startsWith("storage.blockSize: expected a size");
        assertThat(errorOf("storage: {blockSize: 100}")).isEqualTo("storage.blockSize: must be between 512B and 1MiB, got 100B");
        assertThat(errorOf("http: {port: 70000}")).isEqualTo("http.port: must be between 0 and 65535, got 70000");
        assertThat(errorOf("http: {port: eighty}")).isEqualTo("http.port: expected a whole number, got \"eighty\"");
        assertThat(errorOf("http: [1, 2]")).isEqualTo("http: expected a mapping of keys, got a list");
        assertThat(errorOf("storage: {bloomFalsePositiveRate: 1.5}")).startsWith("storage.bloomFalsePositiveRate: must be greater than 0");
        assertThat(errorOf("storage: {tombstoneGracePeriod: soon}"))
                .isEqualTo("storage.tombstoneGracePeriod: expected a duration such as 500ms, 30s, 5m, 2h or 10d, got \"soon\"");
        assertThat(errorOf("node: {id: 'no spaces'}")).startsWith("node.id: must be 1-64 letters");
        assertThat(errorOf("cluster: {seeds: [nohost]}")).startsWith("cluster.seeds: expected host:port entries");
        assertThat(errorOf("limits: {maxKeySize: 2KiB, maxKeyValueSize: 1KiB}")).startsWith("limits.maxKeyValueSize: must be greater than maxKeySize");
        assertThat(errorOf("storage: {compaction: {minThreshold: 8, maxThreshold: 4}}")).startsWith("storage.compaction.maxThreshold:");
        assertThat(errorOf("http: {maxRequestBodySize: 4KiB}")).startsWith("http.maxRequestBodySize: must be at least limits.maxKeyValueSize");
    }

    @Test
    void yaml_syntax_errors_and_duplicates_give_one_line_with_a_position() {
        assertThat(errorOf("node:\n  id: [unclosed\n")).startsWith("invalid YAML at line");
        assertThat(errorOf("node:\n  id: a\n  id: b\n")).startsWith("invalid YAML at line").contains("id");
        assertThat(errorOf("- a\n- b\n")).startsWith("the top level must be a mapping");
    }

    @Test
    void load_resolves_relative_paths_against_the_file_and_reports_a_missing_file() throws Exception {
        Path file = dir.resolve("conf/node.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "node: {dataDir: ../store}\n");
        assertThat(NodeConfigLoader.load(file).dataDirectory()).isEqualTo(dir.resolve("store"));
        assertThatThrownBy(() -> NodeConfigLoader.load(dir.resolve("absent.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("absent.yaml: no such file");
    }

    @Test
    void the_example_config_file_loads_and_matches_the_defaults() {
        Path example = Path.of("..", "conf", "ringkv.yaml").toAbsolutePath().normalize();
        NodeConfig fromExample = NodeConfigLoader.load(example);
        NodeConfig defaults = NodeConfigLoader.parse("", example.getParent());
        assertThat(fromExample).isEqualTo(defaults);
    }
}
