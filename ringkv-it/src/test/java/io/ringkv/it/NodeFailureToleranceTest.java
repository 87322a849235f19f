package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dynamo's availability promise on a 3-node cluster with N = 3, R = W = 2: losing one replica
 * (crashed with kill -9, or frozen with SIGSTOP as in a long GC pause) must not fail a single
 * request coordinated by the other two, neither before the failure detector notices nor after.
 * Node 3 is the victim; nodes 1 and 2 coordinate.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class NodeFailureToleranceTest {
    private static final Duration DETECTION_LIMIT = Duration.ofSeconds(15);
    private static final int MAX_STEPS = 2_000;

    @Test
    void quorumReadsAndWritesKeepSucceedingWhileANodeIsKilledAndItServesAgainWithAHigherGenerationAfterRestart(
            LocalClusterProcesses cluster) {
        long generationBefore = cluster.client(1).cluster().member("node3").orElseThrow().generation();
        WriteReadLoop load = new WriteReadLoop("killed", List.of(cluster.client(1), cluster.client(2)));
        load.run(10);

        cluster.kill9(3);
        // Right after the crash node 3 is still believed UP: the coordinators must not wait for it.
        load.run(10);
        load.runUntil(() -> !"UP".equals(liveness(cluster, 1, "node3")) && !"UP".equals(liveness(cluster, 2, "node3")),
                "nodes 1 and 2 noticing that node 3 is gone", DETECTION_LIMIT, MAX_STEPS);
        load.run(10);

        cluster.restart(3);
        cluster.awaitConverged();
        long generationAfter = cluster.client(1).cluster().member("node3").orElseThrow().generation();
        assertThat(generationAfter).as("node3's generation as node1 sees it after the restart").isGreaterThan(generationBefore);
        assertThat(cluster.client(3).cluster().member("node3").orElseThrow().generation()).isEqualTo(generationAfter);

        // Node 3 serves again: as coordinator of reads (of keys written while it was dead) and as
        // a replica that must acknowledge a write with w = 3.
        load.verifyAllReadableThrough(cluster.client(3));
        Reply everyReplica = cluster.client(3).put("killed-after-restart", "all-three", null, 3);
        assertThat(everyReplica.status()).as("w=3 put through the restarted node: %s", everyReplica).isEqualTo(200);
        System.out.printf("kill -9: %d write+read steps, all 200; slowest request %d ms%n", load.steps(),
                load.slowestRequestMillis());
    }

    @Test
    void quorumReadsAndWritesKeepSucceedingWhileANodeIsPausedWithSigstop(LocalClusterProcesses cluster) {
        WriteReadLoop load = new WriteReadLoop("paused", List.of(cluster.client(1), cluster.client(2)));
        load.run(10);

        cluster.pause(3);
        // The answers below are 200, and a coordinator answers 503 once its request timeout has
        // passed without a quorum: so each was served within the timeout without node 3.
        load.run(10);
        // Node 3 is really out of reach: a write needing all three replicas cannot succeed.
        Reply everyReplica = cluster.client(1).put("paused-all-three", "x", null, 3);
        assertThat(everyReplica.status()).as("w=3 put while node3 is paused: %s", everyReplica).isEqualTo(503);
        assertThat(everyReplica.error()).isEqualTo("quorum_not_met");
        assertThat(everyReplica.field("required").asInt()).isEqualTo(3);
        assertThat(everyReplica.field("acknowledged").asInt()).isEqualTo(2);

        load.runUntil(() -> !"UP".equals(liveness(cluster, 1, "node3")) && !"UP".equals(liveness(cluster, 2, "node3")),
                "nodes 1 and 2 suspecting the paused node 3", DETECTION_LIMIT, MAX_STEPS);
        load.run(10);

        cluster.resume(3);
        cluster.awaitConverged();
        load.verifyAllReadableThrough(cluster.client(3));
        System.out.printf("SIGSTOP: %d write+read steps, all 200; slowest request %d ms%n", load.steps(),
                load.slowestRequestMillis());
    }

    private static String liveness(LocalClusterProcesses cluster, int observer, String nodeId) {
        return cluster.client(observer).cluster().member(nodeId).orElseThrow().liveness();
    }
}
