package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.storage.Compression;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(c.versioning()).isEqualTo(new VersioningConfig(10, 32, ConflictPolicy.SIBLINGS));
        assertThat(c.replication()).isEqualTo(new ReplicationConfig(3, 2, 2));
        assertThat(c.cluster()).isEqualTo(new ClusterConfig("127.0.0.1", 9001, java.util.List.of(), "dc1", "rack1", 1));

        StorageOptions engineDefaults = StorageOptions.builder(dir).build();
        StorageOptions fromConfig = c.storage().toOptions(dir).build();
        assertThat(fromConfig).isEqualTo(engineDefaults.toBuilder().clock(fromConfig.clock()).build());
        assertThat(c.storage().syncPolicy()).isEqualTo(SyncPolicy.batch(2));
        assertThat(c.storage().compression()).isEqualTo(Compression.LZ4);
    }

    @Test
    void reads_every_section_with_sizes_and_durations() {
        NodeConfig c = parse("""
                node: {id: alpha-1, dataDir: /var/lib/ringkv}
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
                cluster: {peerHost: 10.0.0.1, peerPort: 7000, seeds: ["10.0.0.2:7000"], dataCenter: eu, rack: r9, weight: 2}
                replication: {n: 5, r: 3, w: 1}
                """);
        assertThat(c.nodeId()).isEqualTo("alpha-1");
        assertThat(c.dataDirectory()).isEqualTo(Path.of("/var/lib/ringkv"));
        assertThat(c.http()).isEqualTo(new HttpConfig("0.0.0.0", 9100, 8, 1 << 20, 2));
        assertThat(c.storage()).isEqualTo(new StorageConfig(SyncPolicy.periodic(250), 8L << 20, 4L << 20, 3, 4096,
                Compression.NONE, 0.05, 1L << 30, 2, 8, 20, 2 * 3_600_000L));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(512, 20 << 10));
        assertThat(c.versioning()).isEqualTo(new VersioningConfig(5, 3, ConflictPolicy.LWW));
        assertThat(c.cluster()).isEqualTo(new ClusterConfig("10.0.0.1", 7000, java.util.List.of("10.0.0.2:7000"), "eu", "r9", 2));
        assertThat(c.replication()).isEqualTo(new ReplicationConfig(5, 3, 1));
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
        assertThat(errorOf("replication: {n: 1}")).isEqualTo("replication.r: must be at most n (1), got 2");
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
