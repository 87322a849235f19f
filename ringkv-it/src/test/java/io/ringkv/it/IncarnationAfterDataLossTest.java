package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Riak's kv679, issue 10 item 2: a node that lost its data must never reuse its history. If the
 * wiped node wrote again under its old name, its new write's dot could be one that a surviving
 * version's context already claims, and a reader of the new write would get a context covering
 * the old write without having seen it. ringkv writes as a new actor on every start
 * (docs/design/versioning.md, "Actors: one per node start"), so the old write survives.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class IncarnationAfterDataLossTest {

    @Test
    void aWipedNodeThatWritesAgainNeverMakesAReaderSupersedeAWriteItDidNotSee(LocalClusterProcesses cluster) {
        String key = "kv679";
        // v1 acknowledged by nodes 1 and 2 while node 3 is down.
        cluster.kill9(3);
        Reply v1 = cluster.client(1).put(key, "v1", null, 2);
        assertThat(v1.status()).as("v1: %s", v1).isEqualTo(200);

        // Node 1 loses everything (a replaced disk) and comes back; node 3 comes back too.
        cluster.kill9(1);
        cluster.wipeData(1);
        cluster.restart(1);
        cluster.restart(3);
        cluster.awaitConverged();

        // A blind v2 through the wiped node 1, acknowledged by node 1 and node 3 (node 2 paused:
        // it holds v1 and must not pass it on before the read below).
        cluster.pause(2);
        try {
            Reply v2 = cluster.client(1).put(key, "v2", null, 2);
            assertThat(v2.status()).as("v2: %s", v2).isEqualTo(200);

            // A read answered without node 2 sees v2 only ...
            Reply read = cluster.client(1).get(key, 2);
            assertThat(read.status()).as("read: %s", read).isEqualTo(200);
            assertThat(read.stringValues()).as("a read without node 2").containsExactly("v2");

            // ... and a write with its context replaces v2 and nothing else.
            Reply v3 = cluster.client(3).put(key, "v3", read.context(), 2);
            assertThat(v3.status()).as("v3: %s", v3).isEqualTo(200);
        } finally {
            cluster.resume(2);
        }

        Reply all = cluster.client(2).get(key, 3);
        assertThat(all.status()).as("final read: %s", all).isEqualTo(200);
        assertThat(all.stringValues()).as("v1 was acknowledged and the v3 writer never saw it").containsExactlyInAnyOrder("v1", "v3");
    }
}
