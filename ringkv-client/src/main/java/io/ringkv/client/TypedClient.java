package io.ringkv.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reads and writes values of type {@code T} through a {@link Codec}, resolving siblings with a
 * {@link ConflictResolver} when it has one. Made by {@link RingkvClient#typed(Codec)}; shares the
 * client's nodes and connections, is immutable and thread-safe.
 *
 * <pre>{@code
 * TypedClient<Set<String>> carts = client.typed(Codec.json(new TypeReference<Set<String>>() {}))
 *         .resolvingWith(ConflictResolver.union(), true);   // merge siblings, store the merge
 * Read<Set<String>> cart = carts.get("cart:ada");            // one value, even after concurrent writes
 * Set<String> next = new HashSet<>(cart.value().orElse(Set.of()));
 * next.add("pen");
 * carts.put("cart:ada", cart.context(), next);
 * }</pre>
 *
 * <p>On a read that finds siblings, the resolver's merge is returned as the one value with the
 * read's context, which covers every sibling: a write with it supersedes them all. With write-back
 * the merge is also written at once with that context, so other readers stop seeing the siblings;
 * if that write fails the read still returns the merge with the read's context
 * ({@link Read#writtenBack()} false): the merge is right, only not stored yet.
 *
 * @param <T> the value type
 */
public final class TypedClient<T> {
    private final RingkvClient client;
    private final Codec<T> codec;
    private final ConflictResolver<T> resolver;
    private final boolean writeBack;

    TypedClient(RingkvClient client, Codec<T> codec, ConflictResolver<T> resolver, boolean writeBack) {
        this.client = client;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.resolver = resolver;
        this.writeBack = writeBack;
    }

    /** This typed client merging siblings with {@code resolver}; with {@code writeBack} the merge is stored at once. */
    public TypedClient<T> resolvingWith(ConflictResolver<T> resolver, boolean writeBack) {
        return new TypedClient<>(client, codec, Objects.requireNonNull(resolver, "resolver"), writeBack);
    }

    public Read<T> get(String key) {
        return get(RingkvClient.utf8(key), ReadOptions.DEFAULT);
    }

    public Read<T> get(byte[] key, ReadOptions options) {
        Versions versions = client.get(key, options);
        List<T> values = new ArrayList<>(versions.versions().size());
        for (Version v : versions.versions()) {
            values.add(codec.decode(v.value()));
        }
        if (values.size() < 2 || resolver == null) {
            return new Read<>(values, versions.context(), false, false);
        }
        T merged = resolver.resolve(List.copyOf(values));
        if (!writeBack) {
            return new Read<>(List.of(merged), versions.context(), true, false);
        }
        try {
            String written = client.write(key, versions.context(), codec.encode(merged), codec.json(),
                    new WriteOptions(0, options.timeout()));
            return new Read<>(List.of(merged), written, true, true);
        } catch (RingkvException e) {
            return new Read<>(List.of(merged), versions.context(), true, false);
        }
    }

    public String put(String key, String context, T value) {
        return put(RingkvClient.utf8(key), context, value, WriteOptions.DEFAULT);
    }

    /** Stores {@code value}, encoded, superseding what {@code context} covers (as {@link RingkvClient#put}). */
    public String put(byte[] key, String context, T value, WriteOptions options) {
        return client.write(key, context, codec.encode(value), codec.json(), options);
    }

    public String delete(String key, String context) {
        return client.delete(key, context);
    }

    public CompletableFuture<Read<T>> getAsync(String key) {
        return getAsync(RingkvClient.utf8(key), ReadOptions.DEFAULT);
    }

    public CompletableFuture<Read<T>> getAsync(byte[] key, ReadOptions options) {
        return client.async(() -> get(key, options));
    }

    public CompletableFuture<String> putAsync(String key, String context, T value) {
        return putAsync(RingkvClient.utf8(key), context, value, WriteOptions.DEFAULT);
    }

    public CompletableFuture<String> putAsync(byte[] key, String context, T value, WriteOptions options) {
        return client.async(() -> put(key, context, value, options));
    }
}
