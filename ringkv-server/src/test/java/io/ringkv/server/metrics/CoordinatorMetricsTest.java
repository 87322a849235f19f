package io.ringkv.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CoordinatorMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CoordinatorMetrics metrics = new CoordinatorMetrics(registry);

    @Test
    void coordinatorEventsBecomeTaggedMeters() {
        metrics.onRequestCompleted("put", 2_000_000, true);
        metrics.onRequestCompleted("put", 3_000_000, true);
        metrics.onRequestCompleted("get", 1_000_000, false);
        metrics.onQuorumNotMet("get", 2, 1);
        metrics.onForwarded("put", "node2");
        metrics.onForwardExpired("delete");
        metrics.onReadRepairChecked(3, 0);
        metrics.onReadRepairChecked(3, 2);
        metrics.onReadRepairSent("node3");
        metrics.onReadRepairFailed("node2");
        metrics.onMalformedMessage(0x5202);

        assertThat(registry.get("ringkv.coordinator.requests").tag("op", "put").tag("outcome", "success").timer().count()).isEqualTo(2);
        assertThat(registry.get("ringkv.coordinator.requests").tag("op", "get").tag("outcome", "failure").timer().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.coordinator.quorum.not.met").tag("op", "get").counter().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.coordinator.forwards").tag("op", "put").counter().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.coordinator.forwards.expired").tag("op", "delete").counter().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.coordinator.read.repair.checks").counter().count()).isEqualTo(2);
        assertThat(registry.get("ringkv.coordinator.read.repair.stale.replicas").counter().count()).isEqualTo(2);
        assertThat(registry.get("ringkv.coordinator.read.repairs").tag("outcome", "sent").counter().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.coordinator.read.repairs").tag("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.coordinator.malformed.messages").tag("type", "0x5202").counter().count()).isEqualTo(1);
    }
}
