package io.ringkv.server.config;

import io.ringkv.cluster.antientropy.AntiEntropyConfig;
import java.util.Objects;

/**
 * The {@code antiEntropy:} section (docs/configuration.md, docs/design/anti-entropy.md).
 *
 * @param enabled whether the node keeps Merkle trees, answers peers' comparisons and repairs at
 *                all; off, no tombstone is ever purged (nothing proves every replica saw it)
 * @param config  how it runs when enabled
 */
public record AntiEntropySettings(boolean enabled, AntiEntropyConfig config) {
    public AntiEntropySettings {
        Objects.requireNonNull(config, "config");
    }
}
