package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Codecs and conflict resolvers against a real node: Dynamo §4.4's shopping cart, merged by the client. */
class TypedClientTest {
    private static final Codec<Set<String>> CART = Codec.json(new TypeReference<Set<String>>() {
    });

    @TempDir
    Path dir;
    private InProcessNode node;
    private RingkvClient client;

    record Profile(String name, int visits, List<String> tags) {
    }

    @BeforeEach
    void start() {
        node = InProcessNode.start(dir);
        client = RingkvClient.builder().nodes(List.of(node.uri())).build();
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    /** Two writes without a context: siblings of one key. */
    private void twoConcurrentCarts(String key) {
        TypedClient<Set<String>> carts = client.typed(CART);
        carts.put(key, null, Set.of("book"));
        carts.put(key, null, Set.of("pen"));
    }

    @Test
    void codecs_round_trip_bytes_text_and_json() {
        byte[] raw = {0, 1, (byte) 0xFF};
        client.typed(Codec.bytes()).put("raw", null, raw);
        assertThat(client.typed(Codec.bytes()).get("raw").value()).contains(raw);

        client.typed(Codec.utf8()).put("text", null, "grüße");
        assertThat(client.typed(Codec.utf8()).get("text").value()).contains("grüße");
        assertThat(client.get("text").versions().get(0).json()).as("utf8 is stored as bytes").isFalse();

        TypedClient<Profile> profiles = client.typed(Codec.json(Profile.class));
        Profile ada = new Profile("Ada", 3, List.of("admin"));
        profiles.put("profile:ada", null, ada);
        assertThat(profiles.get("profile:ada").value()).contains(ada);
        assertThat(client.get("profile:ada").versions().get(0).json()).as("stored as JSON").isTrue();

        assertThat(profiles.get("absent").value()).isEmpty();
        assertThatThrownBy(() -> profiles.get("text").value()).isInstanceOf(CodecException.class);
    }

    @Test
    void without_a_resolver_siblings_are_surfaced_never_one_picked() {
        twoConcurrentCarts("cart:plain");
        Read<Set<String>> read = client.typed(CART).get("cart:plain");
        assertThat(read.hasSiblings()).isTrue();
        assertThat(read.values()).containsExactlyInAnyOrder(Set.of("book"), Set.of("pen"));
        assertThatThrownBy(read::value).isInstanceOfSatisfying(UnresolvedSiblingsException.class,
                e -> assertThat(e.siblings()).isEqualTo(2));
    }

    @Test
    void a_resolver_merges_siblings_on_read_and_the_readers_write_with_the_context_supersedes_them() {
        twoConcurrentCarts("cart:merge");
        TypedClient<Set<String>> carts = client.typed(CART).resolvingWith(ConflictResolver.union(), false);
        Read<Set<String>> read = carts.get("cart:merge");
        assertThat(read.merged()).isTrue();
        assertThat(read.writtenBack()).isFalse();
        assertThat(read.value()).contains(Set.of("book", "pen"));
        assertThat(client.get("cart:merge").versions()).as("nothing written yet").hasSize(2);

        carts.put("cart:merge", read.context(), Set.of("book", "pen", "ink"));
        assertThat(client.typed(CART).get("cart:merge").value()).contains(Set.of("book", "pen", "ink"));
    }

    @Test
    void with_write_back_the_merge_is_stored_with_the_reads_context() {
        twoConcurrentCarts("cart:write-back");
        Read<Set<String>> read = client.typed(CART).resolvingWith(ConflictResolver.union(), true).get("cart:write-back");
        assertThat(read.writtenBack()).isTrue();
        assertThat(read.value()).contains(Set.of("book", "pen"));

        Versions stored = client.get("cart:write-back");
        assertThat(stored.hasSiblings()).as("the merge superseded both siblings").isFalse();
        assertThat(stored.context()).isEqualTo(read.context());
        assertThat(client.typed(CART).get("cart:write-back").value()).contains(Set.of("book", "pen"));
    }

    @Test
    void one_version_is_returned_as_it_is_without_calling_the_resolver() {
        client.typed(CART).put("cart:single", null, Set.of("book"));
        Read<Set<String>> read = client.typed(CART).resolvingWith(siblings -> {
            throw new AssertionError("called for one version");
        }, true).get("cart:single");
        assertThat(read.merged()).isFalse();
        assertThat(read.value()).contains(Set.of("book"));
    }
}
