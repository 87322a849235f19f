package io.ringkv.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.cluster.replica.TestClock;
import io.ringkv.cluster.time.ManualScheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.BalancedTokenAllocator;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.VectorClock;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-node cluster (N = R = W = 1) over the real storage engine, fsync on every write: the
 * scenarios of Dynamo §4.4 through the public contract, including a restart and the waits for
 * durability that run off the caller's thread.
 */
class SingleNodeServiceTest {
    private static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;
    private static final byte[] CART = bytes("cart:alice");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(1_700_000_000_000L);
    private final List<SingleNode> opened = new ArrayList<>();
    private final InMemoryNetwork network = new InMemoryNetwork(new ManualScheduler(), 1);

    /** The service with the store and transport it was built on. */
    private record SingleNode(ClusterKvService service, ReplicaStore store, Transport transport) {
        void close() {
            service.close();
            transport.close();
            store.close();
        }
    }

    private SingleNode open(ConflictPolicy policy, int siblingCap) {
        StorageOptions storage = StorageOptions.builder(dir).syncPolicy(SyncPolicy.always()).clock(clock).build();
        ReplicaStore store = ReplicaStore.open(storage, new ReplicaConfig(policy, siblingCap, SiblingCapListener.NONE));
        PeerAddress address = new PeerAddress("127.0.0.1", 9000);
        Ring ring = new BalancedTokenAllocator(16).join(Ring.empty(), Member.of("n1"));
        Transport transport = network.endpoint(address);
        CoordinatorConfig config = new CoordinatorConfig(new ReplicationStrategy.Simple(1), 1, 1, 1000, 10, policy, true,
                false, CoordinatorConfig.DEFAULT_SPECULATIVE_RETRY_MILLIS, clock, TestCluster.CONTEXTS, HandoffConfig.DEFAULTS);
        ClusterKvService service = new ClusterKvService(new FixedView("n1", ring, Map.of("n1", address)), transport, store,
                config, new RecordingListener());
        transport.start();
        SingleNode node = new SingleNode(service, store, transport);
        opened.add(node);
        return node;
    }

    private SingleNode open() {
        return open(ConflictPolicy.SIBLINGS, 32);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(SingleNode::close);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> strings(GetResult r) {
        return r.values().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void put_then_get_round_trips() {
        SingleNode node = open();
        GetResult missing = node.service().get(CART, DEFAULTS);
        assertThat(missing.isAbsent()).isTrue();
        assertThat(missing.context()).isNull();

        PutResult put = node.service().put(CART, null, bytes("book"), DEFAULTS);
        assertThat(put.acknowledgements()).isEqualTo(1);
        GetResult got = node.service().get(CART, DEFAULTS);
        assertThat(strings(got)).containsExactly("book");
        assertThat(got.context()).isEqualTo(put.context());
    }

    @Test
    void a_put_with_the_read_context_supersedes_the_value() {
        SingleNode node = open();
        node.service().put(CART, null, bytes("book"), DEFAULTS);
        String context = node.service().get(CART, DEFAULTS).context();
        clock.advanceMillis(5);
        node.service().put(CART, context, bytes("book, pen"), DEFAULTS);
        assertThat(strings(node.service().get(CART, DEFAULTS))).containsExactly("book, pen");
    }

    @Test
    void concurrent_puts_without_context_become_siblings_and_a_put_with_the_merged_context_resolves_them() {
        SingleNode node = open();
        node.service().put(CART, null, bytes("book"), DEFAULTS);
        node.service().put(CART, null, bytes("pen"), DEFAULTS);
        GetResult both = node.service().get(CART, DEFAULTS);
        assertThat(strings(both)).containsExactlyInAnyOrder("book", "pen");

        // the client reconciles (a union, like the shopping cart) and writes with the one context
        node.service().put(CART, both.context(), bytes("book, pen"), DEFAULTS);
        assertThat(strings(node.service().get(CART, DEFAULTS))).containsExactly("book, pen");
    }

    @Test
    void a_writer_with_a_stale_context_does_not_erase_a_version_it_never_saw() {
        SingleNode node = open();
        node.service().put(CART, null, bytes("v1"), DEFAULTS);
        String stale = node.service().get(CART, DEFAULTS).context();
        node.service().put(CART, stale, bytes("v2 by alice"), DEFAULTS);
        node.service().put(CART, stale, bytes("v2 by bob"), DEFAULTS);
        assertThat(strings(node.service().get(CART, DEFAULTS))).containsExactlyInAnyOrder("v2 by alice", "v2 by bob");
    }

    @Test
    void delete_then_the_key_reads_absent_but_keeps_a_context() {
        SingleNode node = open();
        node.service().put(CART, null, bytes("book"), DEFAULTS);
        PutResult deleted = node.service().delete(CART, node.service().get(CART, DEFAULTS).context(), DEFAULTS);
        GetResult got = node.service().get(CART, DEFAULTS);
        assertThat(got.isAbsent()).isTrue();
        assertThat(got.context()).isEqualTo(deleted.context());
        // writing with that context brings the key back, superseding the tombstone
        node.service().put(CART, got.context(), bytes("new"), DEFAULTS);
        assertThat(strings(node.service().get(CART, DEFAULTS))).containsExactly("new");
    }

    @Test
    void a_delete_with_a_stale_context_leaves_the_newer_write_as_a_sibling() {
        SingleNode node = open();
        node.service().put(CART, null, bytes("v1"), DEFAULTS);
        String stale = node.service().get(CART, DEFAULTS).context();
        node.service().put(CART, stale, bytes("v2"), DEFAULTS);
        node.service().delete(CART, stale, DEFAULTS);
        GetResult got = node.service().get(CART, DEFAULTS);
        assertThat(strings(got)).containsExactly("v2");
        // the context covers the tombstone too, so the next write supersedes both
        node.service().put(CART, got.context(), bytes("v3"), DEFAULTS);
        assertThat(strings(node.service().get(CART, DEFAULTS))).containsExactly("v3");
    }

    @Test
    void the_sibling_cap_keeps_the_newest_versions() {
        SingleNode node = open(ConflictPolicy.SIBLINGS, 3);
        for (int i = 1; i <= 6; i++) {
            clock.advanceMillis(1);
            node.service().put(CART, null, bytes("v" + i), DEFAULTS);
        }
        assertThat(strings(node.service().get(CART, DEFAULTS))).containsExactlyInAnyOrder("v4", "v5", "v6");
        assertThat(node.store().siblingCapExceededCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void last_write_wins_returns_only_the_newest_value() {
        SingleNode node = open(ConflictPolicy.LWW, 32);
        node.service().put(CART, null, bytes("first"), DEFAULTS);
        clock.advanceMillis(10);
        node.service().put(CART, null, bytes("second"), DEFAULTS);
        assertThat(strings(node.service().get(CART, DEFAULTS))).containsExactly("second");
        clock.advanceMillis(10);
        node.service().delete(CART, null, DEFAULTS);
        assertThat(node.service().get(CART, DEFAULTS).isAbsent()).isTrue();
        assertThat(node.store().read(CART).size()).isEqualTo(1);
    }

    @Test
    void versions_survive_a_restart_and_new_writes_after_it_still_supersede_correctly() {
        SingleNode node = open();
        node.service().put(CART, null, bytes("before"), DEFAULTS);
        String context = node.service().get(CART, DEFAULTS).context();
        node.close();
        opened.clear();

        clock.advanceMillis(1);
        SingleNode again = open();
        assertThat(strings(again.service().get(CART, DEFAULTS))).containsExactly("before");
        again.service().put(CART, null, bytes("concurrent"), DEFAULTS);
        assertThat(strings(again.service().get(CART, DEFAULTS))).containsExactlyInAnyOrder("before", "concurrent");
        again.service().put(CART, again.service().get(CART, DEFAULTS).context(), bytes("after"), DEFAULTS);
        assertThat(strings(again.service().get(CART, DEFAULTS))).containsExactly("after");
        assertThat(context).isNotNull();
    }

    @Test
    void bad_requests_are_rejected_with_the_reason() {
        SingleNode node = open();
        assertThatThrownBy(() -> node.service().put(CART, "garbage!", bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("invalid context").hasMessageContaining("base64url");
        String valid = node.service().put(CART, null, bytes("x"), DEFAULTS).context();
        // a middle character: the last one may carry only base64 padding bits, which decoding ignores
        int middle = valid.length() / 2;
        String damaged = valid.substring(0, middle) + (valid.charAt(middle) == 'A' ? 'B' : 'A') + valid.substring(middle + 1);
        assertThatThrownBy(() -> node.service().put(CART, damaged, bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("invalid context");
        assertThatThrownBy(() -> node.service().get(CART, new RequestOptions(2, 0, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("r must be between 1 and N=1, got 2");
        assertThatThrownBy(() -> node.service().put(CART, null, bytes("x"), new RequestOptions(0, 3, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("w must be between 1 and N=1, got 3");
        assertThatThrownBy(() -> node.service().delete(CART, null, new RequestOptions(0, -1, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("w must be between 1 and N=1");
        assertThatThrownBy(() -> node.service().get(new byte[0], DEFAULTS)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> node.service().put(CART, null, null, DEFAULTS)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> node.service().get(CART, new RequestOptions(0, 0, -5))).hasMessageContaining("timeout");
        assertThatThrownBy(() -> node.service().put(new byte[70_000], null, bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
        // R = W = 1 explicitly is fine
        assertThat(node.service().get(CART, new RequestOptions(1, 1, 100)).values()).hasSize(1);
    }

    @Test
    void a_forged_context_claiming_a_far_future_counter_is_rejected() {
        SingleNode node = open();
        CausalContext claim = CausalContext.of(VectorClock.of(new VectorClock.Entry(node.service().actor(), Long.MAX_VALUE, 0)));
        String forgedElsewhere = ContextCodec.forSecret("another cluster's secret").encode(claim);
        assertThatThrownBy(() -> node.service().put(CART, forgedElsewhere, bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not issued by this cluster");
        // with the cluster's own key (a leaked secret): still refused, the actor never issued that write
        String forgedWithTheKey = TestCluster.CONTEXTS.encode(claim);
        assertThatThrownBy(() -> node.service().put(CART, forgedWithTheKey, bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("has issued only");
        assertThat(node.service().put(CART, null, bytes("still writable"), DEFAULTS).acknowledgements()).isEqualTo(1);
    }

    @Test
    void storage_failures_are_store_failures() {
        SingleNode node = open();
        node.store().engine().put(CART, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> node.service().get(CART, DEFAULTS)).isInstanceOf(StoreFailureException.class).hasMessageContaining("read failed");
        node.close();
        opened.clear();
        assertThatThrownBy(() -> node.service().put(CART, null, bytes("x"), DEFAULTS)).isInstanceOf(StoreFailureException.class);
    }
}
