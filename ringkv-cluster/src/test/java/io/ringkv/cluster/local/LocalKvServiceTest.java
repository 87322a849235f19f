package io.ringkv.cluster.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.cluster.replica.TestClock;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single node over the real storage engine; the scenarios of Dynamo §4.4 through the public contract. */
class LocalKvServiceTest {
    private static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;
    private static final byte[] CART = bytes("cart:alice");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(1_700_000_000_000L);
    private final List<LocalKvService> opened = new ArrayList<>();

    private LocalKvService open(ConflictPolicy policy, int siblingCap) {
        StorageOptions storage = StorageOptions.builder(dir).syncPolicy(SyncPolicy.always()).clock(clock).build();
        LocalKvService service = LocalKvService.open(storage, new LocalKvConfig("n1", 10, siblingCap, policy, clock), SiblingCapListener.NONE);
        opened.add(service);
        return service;
    }

    private LocalKvService open() {
        return open(ConflictPolicy.SIBLINGS, 32);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(LocalKvService::close);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> strings(GetResult r) {
        return r.values().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void put_then_get_round_trips() {
        LocalKvService kv = open();
        GetResult missing = kv.get(CART, DEFAULTS);
        assertThat(missing.isAbsent()).isTrue();
        assertThat(missing.context()).isNull();

        PutResult put = kv.put(CART, null, bytes("book"), DEFAULTS);
        assertThat(put.acknowledgements()).isEqualTo(1);
        GetResult got = kv.get(CART, DEFAULTS);
        assertThat(strings(got)).containsExactly("book");
        assertThat(got.context()).isEqualTo(put.context());
    }

    @Test
    void a_put_with_the_read_context_supersedes_the_value() {
        LocalKvService kv = open();
        kv.put(CART, null, bytes("book"), DEFAULTS);
        String context = kv.get(CART, DEFAULTS).context();
        clock.advanceMillis(5);
        kv.put(CART, context, bytes("book, pen"), DEFAULTS);
        assertThat(strings(kv.get(CART, DEFAULTS))).containsExactly("book, pen");
    }

    @Test
    void concurrent_puts_without_context_become_siblings_and_a_put_with_the_merged_context_resolves_them() {
        LocalKvService kv = open();
        kv.put(CART, null, bytes("book"), DEFAULTS);
        kv.put(CART, null, bytes("pen"), DEFAULTS);
        GetResult both = kv.get(CART, DEFAULTS);
        assertThat(strings(both)).containsExactlyInAnyOrder("book", "pen");

        // the client reconciles (a union, like the shopping cart) and writes with the one context
        kv.put(CART, both.context(), bytes("book, pen"), DEFAULTS);
        assertThat(strings(kv.get(CART, DEFAULTS))).containsExactly("book, pen");
    }

    @Test
    void a_writer_with_a_stale_context_does_not_erase_a_version_it_never_saw() {
        LocalKvService kv = open();
        kv.put(CART, null, bytes("v1"), DEFAULTS);
        String stale = kv.get(CART, DEFAULTS).context();
        kv.put(CART, stale, bytes("v2 by alice"), DEFAULTS);
        kv.put(CART, stale, bytes("v2 by bob"), DEFAULTS);
        assertThat(strings(kv.get(CART, DEFAULTS))).containsExactlyInAnyOrder("v2 by alice", "v2 by bob");
    }

    @Test
    void delete_then_the_key_reads_absent_but_keeps_a_context() {
        LocalKvService kv = open();
        kv.put(CART, null, bytes("book"), DEFAULTS);
        PutResult deleted = kv.delete(CART, kv.get(CART, DEFAULTS).context(), DEFAULTS);
        GetResult got = kv.get(CART, DEFAULTS);
        assertThat(got.isAbsent()).isTrue();
        assertThat(got.context()).isEqualTo(deleted.context());
        // writing with that context brings the key back, superseding the tombstone
        kv.put(CART, got.context(), bytes("new"), DEFAULTS);
        assertThat(strings(kv.get(CART, DEFAULTS))).containsExactly("new");
    }

    @Test
    void a_delete_with_a_stale_context_leaves_the_newer_write_as_a_sibling() {
        LocalKvService kv = open();
        kv.put(CART, null, bytes("v1"), DEFAULTS);
        String stale = kv.get(CART, DEFAULTS).context();
        kv.put(CART, stale, bytes("v2"), DEFAULTS);
        kv.delete(CART, stale, DEFAULTS);
        GetResult got = kv.get(CART, DEFAULTS);
        assertThat(strings(got)).containsExactly("v2");
        // the context covers the tombstone too, so the next write supersedes both
        kv.put(CART, got.context(), bytes("v3"), DEFAULTS);
        assertThat(strings(kv.get(CART, DEFAULTS))).containsExactly("v3");
    }

    @Test
    void the_sibling_cap_keeps_the_newest_versions() {
        LocalKvService kv = open(ConflictPolicy.SIBLINGS, 3);
        for (int i = 1; i <= 6; i++) {
            clock.advanceMillis(1);
            kv.put(CART, null, bytes("v" + i), DEFAULTS);
        }
        assertThat(strings(kv.get(CART, DEFAULTS))).containsExactlyInAnyOrder("v4", "v5", "v6");
        assertThat(kv.store().siblingCapExceededCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void last_write_wins_returns_only_the_newest_value() {
        LocalKvService kv = open(ConflictPolicy.LWW, 32);
        kv.put(CART, null, bytes("first"), DEFAULTS);
        clock.advanceMillis(10);
        kv.put(CART, null, bytes("second"), DEFAULTS);
        assertThat(strings(kv.get(CART, DEFAULTS))).containsExactly("second");
        clock.advanceMillis(10);
        kv.delete(CART, null, DEFAULTS);
        assertThat(kv.get(CART, DEFAULTS).isAbsent()).isTrue();
        assertThat(kv.store().read(CART).size()).isEqualTo(1);
    }

    @Test
    void versions_survive_a_restart_and_new_writes_after_it_still_supersede_correctly() {
        LocalKvService kv = open();
        kv.put(CART, null, bytes("before"), DEFAULTS);
        String context = kv.get(CART, DEFAULTS).context();
        kv.close();
        opened.clear();

        clock.advanceMillis(1);
        LocalKvService again = open();
        assertThat(strings(again.get(CART, DEFAULTS))).containsExactly("before");
        again.put(CART, null, bytes("concurrent"), DEFAULTS);
        assertThat(strings(again.get(CART, DEFAULTS))).containsExactlyInAnyOrder("before", "concurrent");
        again.put(CART, again.get(CART, DEFAULTS).context(), bytes("after"), DEFAULTS);
        assertThat(strings(again.get(CART, DEFAULTS))).containsExactly("after");
        assertThat(context).isNotNull();
    }

    @Test
    void bad_requests_are_rejected_with_the_reason() {
        LocalKvService kv = open();
        assertThatThrownBy(() -> kv.put(CART, "garbage!", bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("invalid context").hasMessageContaining("base64url");
        String valid = kv.put(CART, null, bytes("x"), DEFAULTS).context();
        String damaged = valid.substring(0, valid.length() - 1) + (valid.endsWith("A") ? "B" : "A");
        assertThatThrownBy(() -> kv.put(CART, damaged, bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("invalid context");
        assertThatThrownBy(() -> kv.get(CART, new RequestOptions(2, 0, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("r must be between 1 and N=1, got 2");
        assertThatThrownBy(() -> kv.put(CART, null, bytes("x"), new RequestOptions(0, 3, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("w must be between 1 and N=1, got 3");
        assertThatThrownBy(() -> kv.delete(CART, null, new RequestOptions(0, -1, 0)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("w must be between 1 and N=1");
        assertThatThrownBy(() -> kv.get(new byte[0], DEFAULTS)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> kv.put(CART, null, null, DEFAULTS)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> kv.get(CART, new RequestOptions(0, 0, -5))).hasMessageContaining("timeout");
        assertThatThrownBy(() -> kv.put(new byte[70_000], null, bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
        // R = W = 1 explicitly is fine
        assertThat(kv.get(CART, new RequestOptions(1, 1, 100)).values()).hasSize(1);
    }

    @Test
    void a_forged_context_claiming_a_far_future_counter_is_rejected() {
        LocalKvService kv = open();
        String forged = ContextCodec.encode(io.ringkv.core.version.VectorClock.of(
                new io.ringkv.core.version.VectorClock.Entry("n1", Long.MAX_VALUE, 0)));
        assertThatThrownBy(() -> kv.put(CART, forged, bytes("x"), DEFAULTS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("far ahead");
    }

    @Test
    void storage_failures_are_store_failures() {
        LocalKvService kv = open();
        kv.store().engine().put(CART, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> kv.get(CART, DEFAULTS)).isInstanceOf(StoreFailureException.class).hasMessageContaining("read failed");
        kv.close();
        opened.clear();
        assertThatThrownBy(() -> kv.put(CART, null, bytes("x"), DEFAULTS)).isInstanceOf(StoreFailureException.class);
    }
}
