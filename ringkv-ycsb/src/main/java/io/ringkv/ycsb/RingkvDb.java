package io.ringkv.ycsb;

import io.ringkv.client.InvalidRequestException;
import io.ringkv.client.QuorumNotMetException;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.RingkvClient;
import io.ringkv.client.RingkvException;
import io.ringkv.client.RingkvUnavailableException;
import io.ringkv.client.ServerOverloadedException;
import io.ringkv.client.Versions;
import io.ringkv.client.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * YCSB binding for ringkv, over {@code ringkv-client} (the public HTTP API). One record is one
 * ringkv value: its fields encoded by {@link RecordCodec}, keyed by the YCSB key (the table name
 * is ignored: ringkv has one key space).
 *
 * <p>How the YCSB operations map, and why (docs/benchmarks.md, "YCSB"):
 * <ul>
 *   <li>{@code insert}: one put without a context. YCSB inserts keys that do not exist yet.
 *   <li>{@code read}: one get (quorum R). Absent: {@code NOT_FOUND}. With siblings (two writes
 *       of the key raced), the first version's fields.
 *   <li>{@code update}: get (R), then put (W) with the context read, of the record with the
 *       updated fields replaced. In Cassandra an UPDATE is a blind write; in a Dynamo store a
 *       write without a context is concurrent with what is stored and would pile up siblings
 *       on every update, so a correct client reads first. The read also supplies the fields
 *       the update leaves alone. This costs a second round trip per update. With
 *       {@code ringkv.update=blind} an update is one put without a context of the updated fields
 *       alone, Cassandra's semantics: for a cluster configured with
 *       {@code versioning.conflictPolicy: lww} only (the newest timestamp wins, as in Cassandra;
 *       under {@code siblings} every blind update would add a sibling), and for workloads that
 *       write every field ({@code fieldcount=1} or {@code writeallfields=true}), because the
 *       fields not written are not kept.
 *   <li>{@code delete}: get (R) for the context, then a delete with it (a delete without one
 *       would not supersede the value).
 *   <li>{@code scan}: {@code NOT_IMPLEMENTED} (keys are hashed onto the ring; no range reads).
 * </ul>
 *
 * <p>Properties: {@code ringkv.nodes} (comma-separated http URLs; default the local cluster,
 * http://127.0.0.1:8001,8002,8003), {@code ringkv.r} and {@code ringkv.w} (quorums per
 * request; default the cluster's), {@code ringkv.timeout} (ms to wait for one node's answer,
 * default 5000), {@code ringkv.update} ({@code read-modify-write}, the default, or {@code blind}).
 *
 * <p>YCSB makes one DB object per client thread; they all share one {@link RingkvClient} per
 * JVM (its connection pool and node back-off state), closed by the last {@link #cleanup()}. The
 * first {@link #init()} opens {@code threadcount} connections to each node
 * ({@link RingkvClient#connect(int)}) and fails if no node answers.
 */
public final class RingkvDb extends DB {
    static final String NODES = "ringkv.nodes";
    static final String R = "ringkv.r";
    static final String W = "ringkv.w";
    static final String TIMEOUT = "ringkv.timeout";
    static final String UPDATE = "ringkv.update";
    static final String DEFAULT_NODES = "http://127.0.0.1:8001,http://127.0.0.1:8002,http://127.0.0.1:8003";

    /** Failures are counted across threads; the first few and then every 10,000th are printed. */
    private static final AtomicLong FAILURES = new AtomicLong();

    /** Shared by every RingkvDb of the JVM; guarded by RingkvDb.class. */
    private static RingkvClient shared;
    private static int users;

    private RingkvClient client;
    private ReadOptions readOptions;
    private WriteOptions writeOptions;
    private boolean blindUpdates;

    @Override
    public void init() throws DBException {
        Properties props = getProperties();
        try {
            int r = intProperty(props, R, 0);
            int w = intProperty(props, W, 0);
            readOptions = r == 0 ? ReadOptions.DEFAULT : ReadOptions.r(r);
            writeOptions = w == 0 ? WriteOptions.DEFAULT : WriteOptions.w(w);
            blindUpdates = switch (props.getProperty(UPDATE, "read-modify-write").strip()) {
                case "read-modify-write" -> false;
                case "blind" -> true;
                default -> throw new IllegalArgumentException(UPDATE + " must be read-modify-write or blind, was \""
                        + props.getProperty(UPDATE) + "\"");
            };
            client = borrowClient(props);
        } catch (IllegalArgumentException | RingkvException e) {
            throw new DBException("RingkvDb: " + e.getMessage(), e);
        }
    }

    private static int intProperty(Properties props, String name, int defaultValue) {
        String text = props.getProperty(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was \"" + text + "\"");
        }
    }

    private static synchronized RingkvClient borrowClient(Properties props) {
        if (shared == null) {
            int timeoutMillis = intProperty(props, TIMEOUT, 5000);
            if (timeoutMillis <= 0) {
                throw new IllegalArgumentException(TIMEOUT + " must be positive, was " + timeoutMillis);
            }
            int threads = Math.max(1, intProperty(props, "threadcount", 1));
            RingkvClient client = RingkvClient.builder().nodes(props.getProperty(NODES, DEFAULT_NODES).split(","))
                    .timeout(Duration.ofMillis(timeoutMillis)).maxIdleConnectionsPerNode(threads).build();
            // Connections opened in init, before YCSB starts its clock, as Cassandra's driver opens its
            // pool: otherwise the first operations of a fixed-load run pay for them and for a cold client.
            try {
                client.connect(threads);
            } catch (RingkvException e) {
                client.close();
                throw e;
            }
            shared = client;
        }
        users++;
        return shared;
    }

    @Override
    public void cleanup() {
        if (client != null) {
            client = null;
            synchronized (RingkvDb.class) {
                if (--users == 0) {
                    shared.close();
                    shared = null;
                }
            }
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            Versions versions = client.get(bytes(key), readOptions);
            if (versions.isEmpty()) {
                return Status.NOT_FOUND;
            }
            Map<String, byte[]> record = RecordCodec.decode(versions.versions().getFirst().value());
            for (Map.Entry<String, byte[]> f : record.entrySet()) {
                if (fields == null || fields.contains(f.getKey())) {
                    result.put(f.getKey(), new ByteArrayByteIterator(f.getValue()));
                }
            }
            return Status.OK;
        } catch (RingkvException | IllegalArgumentException e) {
            return failure("read", key, e);
        }
    }

    @Override
    public Status scan(String table, String startKey, int recordCount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        try {
            client.put(bytes(key), null, RecordCodec.encode(toBytes(values, new LinkedHashMap<>())), writeOptions);
            return Status.OK;
        } catch (RingkvException e) {
            return failure("insert", key, e);
        }
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        try {
            byte[] k = bytes(key);
            if (blindUpdates) {
                client.put(k, null, RecordCodec.encode(toBytes(values, new LinkedHashMap<>())), writeOptions);
                return Status.OK;
            }
            Versions current = client.get(k, readOptions);
            Map<String, byte[]> record = current.isEmpty() ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(RecordCodec.decode(current.versions().getFirst().value()));
            client.put(k, current.context(), RecordCodec.encode(toBytes(values, record)), writeOptions);
            return Status.OK;
        } catch (RingkvException | IllegalArgumentException e) {
            return failure("update", key, e);
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            byte[] k = bytes(key);
            Versions current = client.get(k, readOptions);
            if (current.isEmpty()) {
                return Status.NOT_FOUND;
            }
            client.delete(k, current.context(), writeOptions);
            return Status.OK;
        } catch (RingkvException e) {
            return failure("delete", key, e);
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> toBytes(Map<String, ByteIterator> values, Map<String, byte[]> into) {
        for (Map.Entry<String, ByteIterator> f : values.entrySet()) {
            into.put(f.getKey(), f.getValue().toArray());
        }
        return into;
    }

    /** YCSB's status for a failure: it counts them per status in its summary. */
    static Status statusOf(RuntimeException e) {
        return switch (e) {
            case QuorumNotMetException q -> Status.SERVICE_UNAVAILABLE;
            case ServerOverloadedException o -> Status.SERVICE_UNAVAILABLE;
            case RingkvUnavailableException u -> Status.SERVICE_UNAVAILABLE;
            case InvalidRequestException i -> Status.BAD_REQUEST;
            case IllegalArgumentException i -> Status.UNEXPECTED_STATE; // a stored value that is not a YCSB record
            default -> Status.ERROR;
        };
    }

    private static Status failure(String operation, String key, RuntimeException e) {
        long count = FAILURES.incrementAndGet();
        if (count <= 10 || count % 10_000 == 0) {
            System.err.println("RingkvDb: " + operation + " of " + key + " failed (failure #" + count + "): " + e);
        }
        return statusOf(e);
    }
}
