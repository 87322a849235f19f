package io.ringkv.cluster.service;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Siblings;
import java.util.List;

/**
 * What a client is shown for a key's versions: every live sibling (or, under last write wins,
 * the single newest version's value, nothing if that is a tombstone), and one context covering
 * every version including tombstones, so the next put supersedes all of them
 * ({@link Siblings#readContext()}: exactly what was shown, docs/design/versioning.md).
 */
public final class ReadResults {
    private ReadResults() {
    }

    public static GetResult of(Siblings siblings, ConflictPolicy policy, ContextCodec contexts) {
        if (siblings.isEmpty()) {
            return new GetResult(List.of(), null);
        }
        List<byte[]> values = policy == ConflictPolicy.LWW
                ? siblings.resolveLww().filter(v -> !v.tombstone()).map(v -> List.of(v.value())).orElse(List.of())
                : siblings.liveValues();
        return new GetResult(values, contexts.encode(siblings.readContext()));
    }
}
