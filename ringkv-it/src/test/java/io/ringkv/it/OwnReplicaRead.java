package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        Reply reply = readAll(cluster, k, List.of(key)).get(key);
        assertThat(reply.status()).as("r=1 read through node%d alone: %s", k, reply).isEqualTo(200);
        return reply;
    }

    /**
     * {@link #read} for several keys under one pause; every answer is returned as it came (404
     * for a key node {@code k} does not hold), in the order of {@code keys}.
     */
    static Map<String, Reply> readAll(LocalClusterProcesses cluster, int k, List<String> keys) {
        List<Integer> others = cluster.nodes().stream().map(NodeSpec::index).filter(i -> i != k).toList();
        others.forEach(cluster::pause);
        try {
            Map<String, Reply> replies = new LinkedHashMap<>();
            keys.forEach(key -> replies.put(key, cluster.client(k).get(key, 1)));
            Await.sleep(cluster.settings().requestTimeoutMillis() + 200);
            return replies;
        } finally {
            others.forEach(cluster::resume);
        }
    }
}
