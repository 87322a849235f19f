package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order a partition-aware request tries nodes in, on a small hand-made ring. */
class RingViewTest {
    // Three nodes, one token each, a quarter, half and three quarters round the ring.
    private static final List<KeyToken> TOKENS = List.of(
            new KeyToken(0x4000_0000_0000_0000L, 0), new KeyToken(0x8000_0000_0000_0000L, 0), new KeyToken(0xC000_0000_0000_0000L, 0));
    private static final List<String> IDS = List.of("a", "b", "c");
    private static final Map<String, URI> URIS = Map.of(
            "a", URI.create("http://127.0.0.1:1"), "b", URI.create("http://127.0.0.2:1"), "c", URI.create("http://127.0.0.3:1"));

    private static RingView view(int replicas, Map<String, Boolean> down, Map<String, URI> uris) {
        return new RingView("v1", TOKENS, List.of(0, 1, 2), null, IDS, uris, down, replicas, "");
    }

    /** A key whose preference list starts at node {@code first}. */
    private static byte[] keyOwnedBy(RingView view, String first) {
        for (int i = 0; ; i++) {
            byte[] key = ("k" + i).getBytes();
            if (view.preferenceList(key).get(0).equals(first)) {
                return key;
            }
        }
    }

    @Test
    void replicas_come_first_in_ring_order_then_the_other_nodes() {
        RingView view = view(2, Map.of(), URIS);
        byte[] key = keyOwnedBy(view, "b");
        assertThat(view.preferenceList(key)).containsExactly("b", "c");
        assertThat(view.order(key, 0)).containsExactly(URIS.get("b"), URIS.get("c"), URIS.get("a"));
        assertThat(view.order(key, 1)).as("the next request starts at the next replica")
                .containsExactly(URIS.get("c"), URIS.get("b"), URIS.get("a"));
    }

    @Test
    void the_last_token_wraps_round_to_the_first() {
        RingView view = view(1, Map.of(), URIS);
        Set<String> owners = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            owners.add(view.preferenceList(("k" + i).getBytes()).get(0));
        }
        assertThat(owners).containsExactlyInAnyOrder("a", "b", "c"); // keys above 0xC0.. belong to a
    }

    @Test
    void replicas_the_server_placed_replace_the_walk() {
        // As racks might place them: a's range on a and c (the walk would say a, b), b's on b and a.
        List<int[]> placed = List.of(new int[] {0, 2}, new int[] {1, 0}, new int[] {2, 1});
        RingView view = new RingView("v1", TOKENS, List.of(0, 1, 2), placed, IDS, URIS, Map.of(), 2, "");
        byte[] key = keyOwnedBy(view, "b");
        assertThat(view.preferenceList(key)).containsExactly("b", "a");
        assertThat(view.preferenceList(keyOwnedBy(view, "a"))).containsExactly("a", "c");
        assertThat(view.order(key, 0)).containsExactly(URIS.get("b"), URIS.get("a"), URIS.get("c"));
        assertThat(view.order(key, 1)).containsExactly(URIS.get("a"), URIS.get("b"), URIS.get("c"));
        assertThat(view(2, Map.of(), URIS).preferenceList(key)).as("the walk, from an older server").containsExactly("b", "c");
    }

    @Test
    void down_nodes_are_tried_last_and_nodes_without_an_address_never() {
        RingView view = view(2, Map.of("b", true), Map.of("a", URIS.get("a"), "b", URIS.get("b")));
        byte[] key = keyOwnedBy(view, "b");
        assertThat(view.order(key, 0)).containsExactly(URIS.get("a"), URIS.get("b"));
    }
}
