package io.ringkv.client;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges a key's concurrent versions (siblings) into one value: the application's rule, as in
 * Dynamo's shopping cart (§4.4: "merging the different versions of a customer's shopping cart"),
 * where a union of sets never loses an added item. The typed API applies it on every read that
 * finds siblings ({@link TypedClient#resolvingWith}); without one, siblings are returned as they
 * are and {@link Read#value()} refuses to pick one.
 *
 * <p>A resolver should be deterministic, commutative and associative over its inputs (a union,
 * a maximum, a merge of counters per writer): two clients resolving the same siblings then write
 * the same value.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ConflictResolver<T> {
    /** One value for {@code siblings} (two or more, in the server's order). */
    T resolve(List<T> siblings);

    /** The union of sets: an item in any sibling is in the merge (a removal can come back: use tombstone items if that matters). */
    static <E> ConflictResolver<Set<E>> union() {
        return siblings -> {
            Set<E> merged = new LinkedHashSet<>();
            siblings.forEach(merged::addAll);
            return merged;
        };
    }
}
