package io.ringkv.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What a typed read returns: the key's values (several when there are siblings and no resolver;
 * one, the merge, when a resolver merged them) and the context to write with next.
 *
 * @param values      every value, in the server's order; empty when the key is absent
 * @param context     the context for the next write of this key ("" when there is none)
 * @param merged      whether a {@link ConflictResolver} merged siblings into {@code values}
 * @param writtenBack whether that merge was written back (then {@code context} is the write's)
 * @param <T>         the value type
 */
public record Read<T>(List<T> values, String context, boolean merged, boolean writtenBack) {
    public Read {
        values = Collections.unmodifiableList(new ArrayList<>(values)); // List.copyOf would refuse a codec's null
        context = context == null ? "" : context;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public boolean hasSiblings() {
        return values.size() > 1;
    }

    /**
     * The value, or empty if the key is absent.
     *
     * @throws UnresolvedSiblingsException if there are siblings (never one picked silently)
     */
    public Optional<T> value() {
        if (values.size() > 1) {
            throw new UnresolvedSiblingsException(values.size());
        }
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }
}
