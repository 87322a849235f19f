package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.version.Siblings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peer that sends garbage gets an error reply; the node keeps serving and stores nothing. */
class MalformedMessagesTest {
    @TempDir
    Path dir;
    TestCluster cluster;
    Transport stranger;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        stranger = cluster.network.endpoint(new PeerAddress("127.0.0.99", 9000));
        stranger.start();
    }

    @AfterEach
    void stop() {
        stranger.close();
        cluster.close();
    }

    byte[] ask(int messageType, byte[] payload) throws Exception {
        return stranger.request(cluster.node("n1").address(), messageType, payload, 2000).get(5, TimeUnit.SECONDS);
    }

    @Test
    void every_message_type_answers_garbage_with_a_malformed_reply() throws Exception {
        byte[][] garbage = {
            new byte[0],
            {1},
            {9, 1, 'k'},                                 // unknown format
            {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, // a key length far past the end
            {1, 0},                                      // an empty key
        };
        int[] types = {MessageTypes.REPLICA_READ, MessageTypes.REPLICA_WRITE, MessageTypes.COORDINATE_WRITE};
        for (int type : types) {
            for (byte[] payload : garbage) {
                byte[] reply = ask(type, payload);
                assertThat(reply[0]).as("status for type %x, payload %s", type, Arrays.toString(payload))
                        .isEqualTo((byte) ReplyStatus.MALFORMED);
                assertThatThrownBy(() -> ReplyStatus.open(reply, "reply")).isInstanceOf(MalformedMessageException.class);
            }
        }
        assertThat(cluster.node("n1").listener().malformed.get()).isEqualTo(types.length * garbage.length);
    }

    @Test
    void trailing_bytes_and_truncated_versions_are_refused_without_writing() throws Exception {
        byte[] key = bytes("k");
        byte[] valid = ReplicaMessages.writeRequest(key, Siblings.EMPTY);
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        assertThat(ask(MessageTypes.REPLICA_WRITE, trailing)[0]).isEqualTo((byte) ReplyStatus.MALFORMED);

        byte[] forward = ForwardMessages.request(new WriteRequest(Op.PUT, key, null, bytes("value"), QuorumLevel.count(2), 100, false), Long.MAX_VALUE);
        for (int cut = 1; cut < forward.length; cut++) {
            byte[] truncated = Arrays.copyOf(forward, cut);
            assertThat(ask(MessageTypes.COORDINATE_WRITE, truncated)[0]).as("cut at %d", cut)
                    .isEqualTo((byte) ReplyStatus.MALFORMED);
        }
        assertThat(cluster.stored("n1", key).isEmpty()).isTrue();
    }

    @Test
    void the_node_still_serves_clients_and_peers_afterwards() throws Exception {
        ask(MessageTypes.REPLICA_WRITE, new byte[] {1, 1, 'k', 5, 1, 2, 3});
        cluster.kv("n1").put(bytes("k"), null, bytes("fine"), RequestOptions.DEFAULTS);

        assertThat(strings(cluster.kv("n2").get(bytes("k"), new RequestOptions(3, 0, 0)))).containsExactly("fine");
        assertThat(ReplicaMessages.decodeReadReply(ask(MessageTypes.REPLICA_READ, ReplicaMessages.readRequest(bytes("k"))))
                .liveValues()).hasSize(1);
    }
}
