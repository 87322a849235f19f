package io.ringkv.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config {@code cluster start} writes is valid and lays out ports, seeds and N/R/W as documented. */
class NodeConfigTemplateTest {
    @TempDir
    Path dir;

    private NodeConfig written(int index, int nodes, int base) {
        NodeLayout node = new ClusterDirectory(dir).node(index);
        String secret = ClusterSecret.readOrCreate(new ClusterDirectory(dir));
        assertThat(NodeConfigTemplate.writeIfAbsent(node, nodes, base, secret)).isTrue();
        assertThat(NodeConfigTemplate.writeIfAbsent(node, nodes, base, secret)).as("never overwritten").isFalse();
        return NodeConfigLoader.load(node.config());
    }

    @Test
    void nodeKOfThreeListensOnItsOwnLoopbackAddress() {
        NodeConfig c = written(3, 3, 8000);
        assertThat(c.nodeId()).isEqualTo("node3");
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(8003);
        assertThat(c.cluster().peerAddress()).isEqualTo(new PeerAddress("127.0.0.3", 9003));
        assertThat(c.cluster().seeds()).containsExactly(new PeerAddress("127.0.0.1", 9001), new PeerAddress("127.0.0.2", 9002));
        assertThat(c.replication().n()).isEqualTo(3);
        assertThat(c.replication().r()).isEqualTo(2);
        assertThat(c.replication().w()).isEqualTo(2);
        assertThat(c.dataDirectory()).isEqualTo(dir.resolve("node3/data").toAbsolutePath());
    }

    @Test
    void everyNodeOfALocalClusterGetsTheSameSecretMadeOnce() {
        NodeConfig one = written(1, 3, 8000);
        NodeConfig two = written(2, 3, 8000);
        assertThat(one.cluster().hasSecret()).isTrue();
        assertThat(one.cluster().secret()).hasSize(32).isEqualTo(two.cluster().secret());
        assertThat(ClusterSecret.readOrCreate(new ClusterDirectory(dir))).isEqualTo(one.cluster().secret());
    }

    @Test
    void sixNodesInTwoDataCentersAlternateBetweenThemWithTwoReplicasInEachAndLocalQuorumsByDefault() {
        String secret = ClusterSecret.readOrCreate(new ClusterDirectory(dir));
        List<String> dataCenters = new java.util.ArrayList<>();
        List<String> racks = new java.util.ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            NodeLayout node = new ClusterDirectory(dir).node(k);
            assertThat(NodeConfigTemplate.writeIfAbsent(node, 6, 2, 8000, secret)).isTrue();
            NodeConfig c = NodeConfigLoader.load(node.config());
            dataCenters.add(c.cluster().dataCenter());
            racks.add(c.cluster().rack());
            assertThat(c.replication().perDataCenter()).isEqualTo(java.util.Map.of("dc1", 2, "dc2", 2));
            assertThat(c.replication().n()).isEqualTo(4);
            assertThat(c.replication().consistency()).isEqualTo(io.ringkv.cluster.api.Consistency.LOCAL_QUORUM);
            assertThat(List.of(c.replication().r(), c.replication().w())).containsExactly(3, 3);
            assertThat(c.cluster().seeds()).as("a seed in each data center")
                    .containsExactly(new PeerAddress("127.0.0.1", 9001), new PeerAddress("127.0.0.2", 9002));
        }
        assertThat(dataCenters).containsExactly("dc1", "dc2", "dc1", "dc2", "dc1", "dc2");
        assertThat(racks).containsExactly("rack1", "rack1", "rack2", "rack2", "rack3", "rack3");
        assertThat(NodeConfigTemplate.replicasPerDataCenter(3, 2)).as("one node in dc2: one replica there")
                .isEqualTo(java.util.Map.of("dc1", 2, "dc2", 1));
    }

    @Test
    void smallClustersGetSmallerQuorums() {
        NodeConfig one = written(1, 1, 7000);
        assertThat(one.cluster().seeds()).containsExactly(new PeerAddress("127.0.0.1", 8001));
        assertThat(List.of(one.replication().n(), one.replication().r(), one.replication().w())).containsExactly(1, 1, 1);
        NodeConfig two = written(2, 2, 7000);
        assertThat(List.of(two.replication().n(), two.replication().r(), two.replication().w())).containsExactly(2, 2, 2);
        NodeConfig five = written(5, 5, 7000);
        assertThat(five.cluster().peerAddress()).isEqualTo(new PeerAddress("127.0.0.5", 8005));
        assertThat(List.of(five.replication().n(), five.replication().r(), five.replication().w())).containsExactly(3, 2, 2);
    }
}
