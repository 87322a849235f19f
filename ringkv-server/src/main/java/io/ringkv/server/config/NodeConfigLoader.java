package io.ringkv.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ringkv.cluster.antientropy.AntiEntropyConfig;
import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.coordinator.CoordinatorConfig;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.streaming.StreamingConfig;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.storage.Compression;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a node's YAML file into a {@link NodeConfig}: every key has a default (an empty file is
 * a valid configuration), unknown keys and bad values are rejected with one line naming the key.
 * The layout and every default are documented in docs/configuration.md; keep the two in step.
 */
public final class NodeConfigLoader {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:]+:(\\d{1,5})");
    private static final long TIB = 1L << 40;
    /** A size or count the file does not give (every valid one is positive or zero). */
    private static final long ABSENT = -1;
    /** A cluster secret shorter than this is a password, not a key. */
    private static final int MIN_SECRET_CHARS = 16;
    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]", "*");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private NodeConfigLoader() {
    }

    /** Loads {@code file}; relative paths in it are resolved against the file's directory. */
    public static NodeConfig load(Path file) {
        return load(file, MemoryOverrides.NONE);
    }

    /** As {@link #load(Path)}, with memory settings from the command line or the JVM winning over the file's. */
    public static NodeConfig load(Path file, MemoryOverrides overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Path baseDir = file.toAbsolutePath().getParent();
        return parse(text, baseDir, overrides);
    }

    /** Parses YAML {@code text}; relative paths are resolved against {@code baseDir}. */
    public static NodeConfig parse(String text, Path baseDir) {
        return parse(text, baseDir, MemoryOverrides.NONE);
    }

    /** As {@link #parse(String, Path)}, with memory settings from the command line or the JVM winning over the file's. */
    public static NodeConfig parse(String text, Path baseDir, MemoryOverrides overrides) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ConfigException("invalid YAML" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        ConfigSection root = ConfigSection.root(tree);
        NodeConfig config = read(root, baseDir, overrides);
        root.rejectUnknownKeys();
        return config;
    }

    /** Every key the loader reads, as dotted paths ("storage.sync.policy"); docs/configuration.md must list them all. */
    static List<String> knownKeys() {
        ConfigSection root = ConfigSection.root(null);
        read(root, Path.of("."), MemoryOverrides.NONE);
        return root.qualifiedKeys();
    }

    private static NodeConfig read(ConfigSection root, Path baseDir, MemoryOverrides overrides) {
        ConfigSection node = root.section("node");
        String nodeId = node.string("id", "node1");
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw node.error("id", "must be 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit, got \"" + nodeId + "\"");
        }
        Path dataDirectory = baseDir.resolve(node.string("dataDir", "data")).normalize();
        long memoryKey = node.bytes("memory", ABSENT, MemoryBudget.MIN_MEMORY_BYTES, TIB);
        HttpConfig http = readHttp(root.section("http"));
        ConfigSection storageSection = root.section("storage");
        MemoryPlan memory = readMemory(storageSection, memoryKey, overrides);
        StorageConfig storage = readStorage(storageSection, memory);
        LimitsConfig limits = readLimits(root.section("limits"));
        VersioningConfig versioning = readVersioning(root.section("versioning"));
        ClusterConfig cluster = readCluster(root.section("cluster"));
        ReplicationConfig replication = readReplication(root.section("replication"));
        if (replication.handoff().windowMillis() >= storage.tombstoneGracePeriodMillis()) {
            throw new ConfigException("replication.hints.window: must be shorter than storage.tombstoneGracePeriod ("
                    + storage.tombstoneGracePeriodMillis() + " ms), got " + replication.handoff().windowMillis()
                    + " ms: a hint delivered after its tombstones were purged would bring deleted values back");
        }
        AntiEntropySettings antiEntropy = readAntiEntropy(root.section("antiEntropy"));
        if (antiEntropy.enabled() && antiEntropy.config().purgeMarginMillis() < replication.handoff().windowMillis()) {
            throw new ConfigException("antiEntropy.purgeMargin: must be at least replication.hints.window ("
                    + replication.handoff().windowMillis() + " ms), got " + antiEntropy.config().purgeMarginMillis()
                    + " ms: a hint of a deleted value delivered after its tombstone was purged would bring the value back");
        }
        if (http.maxRequestBodyBytes() < limits.maxKeyValueBytes()) {
            throw new ConfigException("http.maxRequestBodySize: must be at least limits.maxKeyValueSize ("
                    + limits.maxKeyValueBytes() + " bytes), got " + http.maxRequestBodyBytes());
        }
        StreamingConfig streaming = readStreaming(root.section("streaming"), cluster.gossip().gossipIntervalMillis());
        Optional<String> replace = Optional.ofNullable(root.string("replace", null));
        if (replace.isPresent() && (!NODE_ID.matcher(replace.get()).matches() || replace.get().equals(nodeId))) {
            throw root.error("replace", "must be the id of another node (the dead node this one takes over), got \""
                    + replace.get() + "\"");
        }
        return new NodeConfig(nodeId, dataDirectory, http, storage, limits, versioning, cluster, replication, antiEntropy,
                streaming, replace, memory);
    }

    /**
     * The division of the node's memory: {@code --memory} or else {@code node.memory}, the heap
     * from the command line or the JVM, and the storage sizes the file gives explicitly.
     */
    private static MemoryPlan readMemory(ConfigSection storage, long memoryKey, MemoryOverrides overrides) {
        OptionalLong memory = overrides.memoryBytes().isPresent() ? overrides.memoryBytes()
                : memoryKey == ABSENT ? OptionalLong.empty() : OptionalLong.of(memoryKey);
        long blockCache = storage.bytes("blockCacheSize", ABSENT, 0, TIB);
        long memtable = storage.bytes("memtableSize", ABSENT, 4096, 2L << 30);
        int immutables = storage.integer("maxImmutableMemtables", (int) ABSENT, 1, 64);
        return MemoryBudget.plan(new MemoryBudget.Request(memory,
                overrides.memoryBytes().isPresent() ? "--memory" : "node.memory", overrides.heapBytes(), overrides.heapSource(),
                blockCache == ABSENT ? OptionalLong.empty() : OptionalLong.of(blockCache),
                memtable == ABSENT ? OptionalLong.empty() : OptionalLong.of(memtable),
                immutables == ABSENT ? OptionalInt.empty() : OptionalInt.of(immutables)));
    }

    private static HttpConfig readHttp(ConfigSection s) {
        return new HttpConfig(
                s.string("host", "127.0.0.1"),
                s.integer("port", 8001, 0, 65535),
                s.integer("maxInFlightRequests", 256, 1, 1_000_000),
                (int) s.bytes("maxRequestBodySize", 64 << 10, 1 << 10, 64 << 20),
                s.integer("ioThreads", 0, 0, 1024));
    }

    /** The storage engine's settings; the sizes held in memory are {@code memory}'s. */
    private static StorageConfig readStorage(ConfigSection s, MemoryPlan memory) {
        StorageOptions d = StorageOptions.builder(Path.of(".")).build();
        SyncPolicy sync = readSync(s.section("sync"), d.syncPolicy());
        ConfigSection compaction = s.section("compaction");
        int minThreshold = compaction.integer("minThreshold", d.compactionMinThreshold(), 2, 1000);
        int maxThreshold = compaction.integer("maxThreshold", d.compactionMaxThreshold(), 2, 1000);
        if (maxThreshold < minThreshold) {
            throw compaction.error("maxThreshold", "must be at least minThreshold (" + minThreshold + "), got " + maxThreshold);
        }
        int stall = compaction.integer("maxTablesBeforeStall", d.maxTablesBeforeStall(), 3, 100_000);
        if (stall <= minThreshold) {
            throw compaction.error("maxTablesBeforeStall", "must be greater than minThreshold (" + minThreshold + "), got " + stall);
        }
        return new StorageConfig(
                sync,
                s.bytes("commitLogSegmentSize", d.commitLogSegmentBytes(), 4096, 1L << 30),
                memory.memtableBytes(),
                memory.maxImmutableMemtables(),
                (int) s.bytes("blockSize", d.blockSizeBytes(), 512, 1 << 20),
                Compression.valueOf(s.choice("compression", d.compression().name().toLowerCase(Locale.ROOT), "none", "lz4").toUpperCase(Locale.ROOT)),
                s.decimal("bloomFalsePositiveRate", d.bloomFalsePositiveRate(), 0, 1),
                memory.blockCacheBytes(),
                minThreshold,
                maxThreshold,
                stall,
                s.millis("tombstoneGracePeriod", d.tombstoneGracePeriodMillis(), 0, 3650L * 86_400_000));
    }

    private static SyncPolicy readSync(ConfigSection s, SyncPolicy defaults) {
        long defaultWindow = defaults instanceof SyncPolicy.Batch b ? b.windowMillis() : 2;
        long defaultInterval = defaults instanceof SyncPolicy.Periodic p ? p.intervalMillis() : 1000;
        String defaultName = switch (defaults) {
            case SyncPolicy.Always a -> "always";
            case SyncPolicy.Batch b -> "batch";
            case SyncPolicy.Periodic p -> "periodic";
        };
        String policy = s.choice("policy", defaultName, "always", "batch", "periodic");
        long window = s.millis("windowMillis", -1, 0, 10_000);
        long interval = s.millis("intervalMillis", -1, 1, 600_000);
        if (window >= 0 && !policy.equals("batch")) {
            throw s.error("windowMillis", "only applies when policy is batch (policy is " + policy + ")");
        }
        if (interval >= 0 && !policy.equals("periodic")) {
            throw s.error("intervalMillis", "only applies when policy is periodic (policy is " + policy + ")");
        }
        return switch (policy) {
            case "always" -> SyncPolicy.always();
            case "batch" -> SyncPolicy.batch(window >= 0 ? window : defaultWindow);
            default -> SyncPolicy.periodic(interval >= 0 ? interval : defaultInterval);
        };
    }

    private static LimitsConfig readLimits(ConfigSection s) {
        int maxKey = (int) s.bytes("maxKeySize", 1024, 1, 64 << 10);
        int maxKeyValue = (int) s.bytes("maxKeyValueSize", 10 << 10, 2, 16 << 20);
        if (maxKeyValue <= maxKey) {
            throw s.error("maxKeyValueSize", "must be greater than maxKeySize (" + maxKey + " bytes), got " + maxKeyValue);
        }
        return new LimitsConfig(maxKey, maxKeyValue);
    }

    private static VersioningConfig readVersioning(ConfigSection s) {
        return new VersioningConfig(
                s.integer("maxVectorClockEntries", CoordinatorConfig.DEFAULT_MAX_CLOCK_ENTRIES, 1, 1000),
                s.integer("maxSiblings", ReplicaConfig.DEFAULT_SIBLING_CAP, 1, ReplicaConfig.MAX_SIBLING_CAP),
                ConflictPolicy.valueOf(s.choice("conflictPolicy", "siblings", "siblings", "lww").toUpperCase(Locale.ROOT)));
    }

    private static ClusterConfig readCluster(ConfigSection s) {
        String name = s.string("name", "ringkv");
        if (!NODE_ID.matcher(name).matches()) {
            throw s.error("name", "must be 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit, got \"" + name + "\"");
        }
        String peerHost = s.string("peerHost", "127.0.0.1");
        if (WILDCARD_HOSTS.contains(peerHost)) {
            throw s.error("peerHost", "must be an address peers can reach (it is announced to them and outgoing"
                    + " inter-node sockets bind to it), not the wildcard " + peerHost);
        }
        int peerPort = s.integer("peerPort", 9001, 1, 65535);
        List<PeerAddress> seeds = new ArrayList<>();
        for (String seed : s.stringList("seeds")) {
            var m = HOST_PORT.matcher(seed);
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
                throw s.error("seeds", "expected host:port entries such as 127.0.0.1:9001, got \"" + seed + "\"");
            }
            PeerAddress address = PeerAddress.parse(seed);
            if (seeds.contains(address)) {
                throw s.error("seeds", seed + " is listed twice");
            }
            seeds.add(address);
        }
        if (seeds.size() > GossipConfig.MAX_SEEDS) {
            throw s.error("seeds", "at most " + GossipConfig.MAX_SEEDS + " seeds, got " + seeds.size());
        }
        String dataCenter = s.string("dataCenter", "dc1");
        String rack = s.string("rack", "rack1");
        int weight = s.integer("weight", 1, 1, 1000);
        ConfigSection gossip = s.section("gossip");
        long interval = gossip.millis("interval", 1_000, 10, 60_000);
        int fanout = gossip.integer("fanout", 3, 1, GossipConfig.MAX_FANOUT);
        long suspectAfter = gossip.millis("suspectAfter", Math.max(8_000, 2 * interval), 20, 3_600_000);
        if (suspectAfter < 2 * interval) {
            throw gossip.error("suspectAfter", "must be at least two gossip intervals (" + 2 * interval
                    + "ms): one silent round is normal, got " + suspectAfter + "ms");
        }
        int ioThreads = s.integer("ioThreads", 0, 0, 64);
        String secret = s.string("secret", "");
        if (!secret.isEmpty() && secret.length() < MIN_SECRET_CHARS) {
            throw s.error("secret", "must be at least " + MIN_SECRET_CHARS + " characters (it authenticates clients'"
                    + " contexts), got " + secret.length());
        }
        return new ClusterConfig(name, peerHost, peerPort, seeds, dataCenter, rack, weight, interval, fanout, suspectAfter,
                ioThreads, secret);
    }

    private static ReplicationConfig readReplication(ConfigSection s) {
        int max = ReplicationStrategy.MAX_REPLICAS;
        int explicitN = s.integer("n", 0, 1, max);
        Map<String, Integer> perDataCenter = s.integerMap("perDataCenter", 1, max);
        int n;
        String nName;
        if (perDataCenter.isEmpty()) {
            n = explicitN == 0 ? 3 : explicitN;
            nName = "n (" + n + ")";
        } else {
            n = perDataCenter.values().stream().mapToInt(Integer::intValue).sum();
            if (n > max) {
                throw s.error("perDataCenter", "adds up to " + n + " replicas; at most " + max);
            }
            if (explicitN != 0 && explicitN != n) {
                throw s.error("n", "is " + explicitN + " but perDataCenter, which replaces it, adds up to " + n
                        + "; remove n or make them agree");
            }
            nName = "N (" + n + ", the sum of perDataCenter)";
        }
        int r = s.integer("r", Math.min(2, n), 1, max);
        int w = s.integer("w", Math.min(2, n), 1, max);
        if (r > n) {
            throw s.error("r", "must be at most " + nName + ", got " + r);
        }
        if (w > n) {
            throw s.error("w", "must be at most " + nName + ", got " + w);
        }
        long timeout = s.millis("requestTimeout", 2_000, 1, 600_000);
        boolean readRepair = s.bool("readRepair", true);
        boolean readFromAll = s.bool("readFromAll", false);
        long speculativeRetry = s.millis("speculativeRetry", CoordinatorConfig.DEFAULT_SPECULATIVE_RETRY_MILLIS, 0, 600_000);
        String consistencyText = s.string("consistency", ReplicationConfig.defaultConsistency(perDataCenter).label);
        Consistency consistency = Consistency.ofLabel(consistencyText).filter(c -> c != Consistency.DEFAULT)
                .orElseThrow(() -> s.error("consistency", "expected count, local_quorum or each_quorum, got \"" + consistencyText + "\""));
        return new ReplicationConfig(n, r, w, perDataCenter, timeout, readRepair, readFromAll, speculativeRetry,
                readHandoff(s), consistency);
    }

    private static HandoffConfig readHandoff(ConfigSection replication) {
        HandoffConfig d = HandoffConfig.DEFAULTS;
        boolean sloppy = replication.bool("sloppyQuorum", d.sloppyQuorum());
        boolean readFallbacks = replication.bool("readFallbacks", d.readFallbacks());
        long hintAfter = replication.millis("hintAfter", d.hintAfterMillis(), 1, 600_000);
        ConfigSection hints = replication.section("hints");
        return new HandoffConfig(sloppy, readFallbacks, hintAfter,
                hints.millis("window", d.windowMillis(), 1_000, 3650L * 86_400_000),
                hints.bytes("maxSize", d.maxBytes(), 0, TIB),
                hints.bytes("throttle", d.deliveryBytesPerSecond(), 1024, TIB),
                hints.millis("deliveryInterval", d.deliveryIntervalMillis(), 10, 3_600_000));
    }

    private static AntiEntropySettings readAntiEntropy(ConfigSection s) {
        AntiEntropyConfig d = AntiEntropyConfig.defaults();
        boolean enabled = s.bool("enabled", true);
        return new AntiEntropySettings(enabled, new AntiEntropyConfig(
                s.bool("background", d.background()),
                s.millis("interval", d.intervalMillis(), 1_000, 30 * 86_400_000L),
                s.millis("initialDelay", d.initialDelayMillis(), 0, 86_400_000L),
                s.bytes("throttle", d.throttleBytesPerSecond(), 0, 1L << 30),
                s.integer("depth", d.depth(), 1, AntiEntropyConfig.MAX_DEPTH),
                s.millis("requestTimeout", d.requestTimeoutMillis(), 100, 3_600_000L),
                s.millis("purgeMargin", d.purgeMarginMillis(), 0, 3650L * 86_400_000)));
    }

    private static StreamingConfig readStreaming(ConfigSection s, long gossipIntervalMillis) {
        StreamingConfig d = StreamingConfig.defaults(gossipIntervalMillis);
        return new StreamingConfig(
                s.bytes("throttle", d.throttleBytesPerSecond(), 0, TIB),
                (int) s.bytes("pageSize", d.pageBytes(), 4 << 10, 16 << 20),
                s.millis("settle", d.settleMillis(), 0, 600_000),
                s.millis("requestTimeout", d.requestTimeoutMillis(), 100, 3_600_000),
                s.integer("verifyPasses", d.verifyPasses(), 1, 100),
                s.integer("parallelism", d.parallelism(), 1, 64));
    }
}
