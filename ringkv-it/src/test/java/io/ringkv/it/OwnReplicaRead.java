package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Observes what one replica itself stores, through the public API only. The HTTP API has no
 * "read this replica" call, and a get asks every replica; but with every other node frozen
 * (SIGSTOP), a get with r = 1 coordinated by node K can only be answered by K's own storage.
 */
final class OwnReplicaRead {
    private OwnReplicaRead() {
    }

    /**
     * Reads {@code key} with r = 1 through node {@code k} while all other nodes are paused. They
     * stay paused until k's request deadline has passed, so that their answers, sent when they
     * resume, reach a request k has already closed and can neither join this read nor make k
     * repair itself from them.
     */
    static Reply read(LocalClusterProcesses cluster, int k, String key) {
        List<Integer> others = cluster.nodes().stream().map(NodeSpec::index).filter(i -> i != k).toList();
        others.forEach(cluster::pause);
        try {
            Reply reply = cluster.client(k).get(key, 1);
            assertThat(reply.status()).as("r=1 read through node%d alone: %s", k, reply).isEqualTo(200);
            Await.sleep(cluster.settings().requestTimeoutMillis() + 200);
            return reply;
        } finally {
            others.forEach(cluster::resume);
        }
    }
}
