package io.ringkv.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.coordinator.ClusterKvService;
import io.ringkv.cluster.coordinator.ClusterView;
import io.ringkv.cluster.coordinator.CoordinatorConfig;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.coordinator.CoordinatorListener;
import io.ringkv.cluster.coordinator.MessageTypes;
import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.BalancedTokenAllocator;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quorum coordinator over real sockets: three ClusterKvService nodes in one JVM, each with its
 * own NettyTransport on loopback and its own store. (Separate processes are the IT suite's job.)
 */
class ClusterKvServiceOverNettyTest {
    static final String HOST = "127.0.0.1";
    static final List<String> IDS = List.of("n1", "n2", "n3");

    @TempDir
    Path dir;
    final Map<String, NettyTransport> transports = new LinkedHashMap<>();
    final Map<String, ReplicaStore> stores = new LinkedHashMap<>();
    final Map<String, ClusterKvService> services = new LinkedHashMap<>();

    @BeforeEach
    void start() throws IOException {
        Ring ring = Ring.empty();
        BalancedTokenAllocator allocator = new BalancedTokenAllocator(16);
        Map<String, PeerAddress> addresses = new LinkedHashMap<>();
        for (String id : IDS) {
            ring = allocator.join(ring, Member.of(id));
            addresses.put(id, new PeerAddress(HOST, freePort()));
        }
        CoordinatorConfig config = new CoordinatorConfig(new ReplicationStrategy.Simple(3), 2, 2, 2000, 10,
                ConflictPolicy.SIBLINGS, true, false, CoordinatorConfig.DEFAULT_SPECULATIVE_RETRY_MILLIS, Clock.systemUTC(),
                ContextCodec.forSecret("test cluster secret"), HandoffConfig.STRICT);
        for (String id : IDS) {
            NettyTransport transport = new NettyTransport(NettyTransportConfig.defaults(addresses.get(id))
                    .withEventLoopThreads(1).withReconnectBackoffMillis(20, 100));
            ReplicaStore store = ReplicaStore.open(
                    StorageOptions.builder(dir.resolve(id)).syncPolicy(SyncPolicy.periodic(1000)).build(), ReplicaConfig.defaults());
            services.put(id, new ClusterKvService(view(id, ring, addresses), transport, store, config, CoordinatorListener.NONE));
            transport.start();
            transports.put(id, transport);
            stores.put(id, store);
        }
    }

    @AfterEach
    void stop() {
        services.values().forEach(ClusterKvService::close);
        transports.values().forEach(NettyTransport::close);
        stores.values().forEach(ReplicaStore::close);
    }

    @Test
    void writes_and_reads_reach_a_quorum_over_sockets_and_survive_a_dead_peer() {
        byte[] key = bytes("cart:alice");
        services.get("n1").put(key, null, bytes("book"), RequestOptions.DEFAULTS);
        for (String id : IDS) {
            assertThat(values(services.get(id).get(key, RequestOptions.DEFAULTS))).containsExactly("book");
        }

        transports.get("n3").close(); // the peer is gone: connections refused from now on
        String context = services.get("n2").get(key, RequestOptions.DEFAULTS).context();
        assertThat(services.get("n1").put(key, context, bytes("book, pen"), RequestOptions.DEFAULTS).acknowledgements()).isEqualTo(2);
        assertThat(values(services.get("n2").get(key, RequestOptions.DEFAULTS))).containsExactly("book, pen");
    }

    @Test
    void concurrent_writes_through_two_coordinators_are_siblings_over_sockets() {
        byte[] key = bytes("cart:bob");
        services.get("n1").put(key, null, bytes("a"), RequestOptions.DEFAULTS);
        services.get("n2").put(key, null, bytes("b"), RequestOptions.DEFAULTS);

        GetResult both = services.get("n3").get(key, new RequestOptions(3, 0, 0));
        assertThat(values(both)).containsExactly("a", "b");
        services.get("n3").put(key, both.context(), bytes("ab"), RequestOptions.DEFAULTS);
        assertThat(values(services.get("n1").get(key, new RequestOptions(3, 0, 0)))).containsExactly("ab");
    }

    @Test
    void a_garbage_payload_gets_an_error_reply_and_the_node_keeps_serving() throws Exception {
        byte[] reply = transports.get("n1").request(transports.get("n2").localAddress(), MessageTypes.REPLICA_WRITE,
                new byte[] {1, 1, 'k', 9, 9}, 2000).get(10, TimeUnit.SECONDS);
        assertThat(reply[0]).as("status byte: MALFORMED").isEqualTo((byte) 4);

        services.get("n2").put(bytes("k"), null, bytes("v"), new RequestOptions(0, 3, 0));
        assertThat(values(services.get("n1").get(bytes("k"), RequestOptions.DEFAULTS))).containsExactly("v");
    }

    static ClusterView view(String self, Ring ring, Map<String, PeerAddress> addresses) {
        return new ClusterView() {
            @Override
            public String localNodeId() {
                return self;
            }

            @Override
            public Ring ring() {
                return ring;
            }

            @Override
            public boolean isUp(String nodeId) {
                return addresses.containsKey(nodeId);
            }

            @Override
            public Optional<PeerAddress> peerAddress(String nodeId) {
                return Optional.ofNullable(addresses.get(nodeId));
            }
        };
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        }
    }

    static List<String> values(GetResult result) {
        List<String> out = new ArrayList<>();
        result.values().forEach(v -> out.add(new String(v, UTF_8)));
        return out.stream().sorted().toList();
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
