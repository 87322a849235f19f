package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * r and w are validated against the cluster's N (3 here), not the single node's 1: 1..3 are
 * accepted, 0 and 4 are refused with 400 JSON naming the parameter, and a refused write stores
 * nothing.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class QuorumParameterTest {

    @Test
    void quorumParametersOutsideOneToNAreRefusedWith400NamingTheParameter(LocalClusterProcesses cluster) {
        KvClient node = cluster.client(1);
        for (int r : new int[] {0, 4}) {
            assertRefused(node.get("quorum-key", r), "r", r);
        }
        for (int w : new int[] {0, 4}) {
            assertRefused(node.put("quorum-key", "never stored", null, w), "w", w);
            assertRefused(node.send("PUT", "/api/v1/kv/quorum-key?w=" + w, "\"never stored\""), "w", w);
            assertRefused(node.delete("quorum-key", null, w), "w", w);
        }
        assertThat(node.get("quorum-key", 3).status()).as("nothing was stored").isEqualTo(404);

        // N = 3 is the limit, so 3 is accepted where a single node would refuse it.
        assertThat(node.put("quorum-key", "stored", null, 3).status()).isEqualTo(200);
        assertThat(node.get("quorum-key", 3).stringValues()).containsExactly("stored");
    }

    private static void assertRefused(Reply reply, String parameter, int value) {
        assertThat(reply.status()).as("%s=%d: %s", parameter, value, reply).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_parameter");
        assertThat(reply.message()).as("message of %s=%d", parameter, value).startsWith(parameter + " ").contains(String.valueOf(value));
    }
}
