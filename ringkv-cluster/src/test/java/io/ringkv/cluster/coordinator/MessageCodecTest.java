package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The coordinator's message layouts (docs/design/coordinator.md): round trips, exact bytes, and rejection of damage. */
class MessageCodecTest {
    static final Siblings TWO = Siblings.of(
            Versioned.of(VectorClock.EMPTY, new Dot("n1", 7), bytes("a"), 100),
            Versioned.tombstone(VectorClock.EMPTY, new Dot("n2", 9), 200));

    @Test
    void replica_read_round_trips_and_has_the_documented_bytes() {
        byte[] request = ReplicaMessages.readRequest(bytes("k"));
        assertThat(request).containsExactly(1, 1, 'k');
        assertThat(ReplicaMessages.decodeReadRequest(request)).containsExactly('k');
        assertThat(ReplicaMessages.decodeReadReply(ReplicaMessages.readReply(TWO))).isEqualTo(TWO);
        assertThat(ReplicaMessages.readReply(Siblings.EMPTY)).containsExactly(0, 2, SiblingsCodec.FORMAT, 0);
    }

    @Test
    void replica_write_round_trips() {
        ReplicaMessages.KeyVersions decoded = ReplicaMessages.decodeWriteRequest(ReplicaMessages.writeRequest(bytes("key"), TWO));
        assertThat(decoded.key()).isEqualTo(bytes("key"));
        assertThat(decoded.siblings()).isEqualTo(TWO);
        assertThat(ReplicaMessages.writeReply()).containsExactly(0);
        ReplicaMessages.decodeWriteReply(ReplicaMessages.writeReply());
    }

    @Test
    void forwarded_writes_round_trip_with_and_without_context_and_value() {
        WriteRequest put = new WriteRequest(Op.PUT, bytes("k"), "ctx", bytes("v"), QuorumLevel.count(2), 1500, true);
        assertThat(ForwardMessages.request(put, 5)).containsExactly(1, 1, 1, 2, 0xDC, 0x0B, 5, 1, 3, 'c', 't', 'x', 1, 'k', 1, 'v');
        ForwardMessages.Forwarded forwarded = ForwardMessages.decodeRequest(ForwardMessages.request(put, 5));
        assertThat(forwarded.notAfterEpochMillis()).isEqualTo(5);
        WriteRequest back = forwarded.request();
        assertThat(back.op()).isEqualTo(Op.PUT);
        assertThat(back.key()).isEqualTo(bytes("k"));
        assertThat(back.context()).isEqualTo("ctx");
        assertThat(back.value()).isEqualTo(bytes("v"));
        assertThat(back.quorum()).isEqualTo(QuorumLevel.count(2));
        assertThat(back.timeoutMillis()).isEqualTo(1500);
        assertThat(back.sloppy()).isTrue();

        WriteRequest delete = ForwardMessages.decodeRequest(
                ForwardMessages.request(new WriteRequest(Op.DELETE, bytes("k"), null, null, QuorumLevel.count(3), 10, false), 1_700_000_000_000L)).request();
        assertThat(delete.op()).isEqualTo(Op.DELETE);
        assertThat(delete.context()).isNull();
        assertThat(delete.value()).isNull();
        assertThat(delete.sloppy()).isFalse();

        PutResult result = ForwardMessages.decodeReply(ForwardMessages.reply(new PutResult("abc", 2, 1)));
        assertThat(result).isEqualTo(new PutResult("abc", 2, 1));
    }

    @Test
    void errors_travel_typed_with_their_fields() {
        byte[] quorum = ReplyStatus.error(new QuorumNotMetException("delete", 3, 1));
        assertThat(quorum).containsExactly(3, 2, 3, 1);
        assertThatThrownBy(() -> ForwardMessages.decodeReply(quorum)).isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
            assertThat(e.operation()).isEqualTo("delete");
            assertThat(e.required()).isEqualTo(3);
            assertThat(e.acknowledged()).isEqualTo(1);
        });
        assertThatThrownBy(() -> ForwardMessages.decodeReply(ReplyStatus.error(new InvalidRequestException("w must be between 1 and N=3, got 4"))))
                .isInstanceOf(InvalidRequestException.class).hasMessage("w must be between 1 and N=3, got 4");
        assertThatThrownBy(() -> ReplicaMessages.decodeReadReply(ReplyStatus.error(new StoreFailureException("disk on fire", null))))
                .isInstanceOf(StoreFailureException.class).hasMessageContaining("disk on fire");
        assertThatThrownBy(() -> ReplicaMessages.decodeWriteReply(ReplyStatus.error(new MalformedMessageException("bad", null))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("bad");
    }

    @Test
    void long_error_messages_are_cut_to_the_limit() {
        String longMessage = "x".repeat(5000);
        assertThatThrownBy(() -> ReplyStatus.open(ReplyStatus.error(new InvalidRequestException(longMessage)), "reply"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("x".repeat(ReplyStatus.MAX_TEXT_BYTES));
    }

    @Test
    void every_truncation_and_every_extension_of_a_valid_message_is_malformed() {
        byte[] write = ReplicaMessages.writeRequest(bytes("key"), TWO);
        everyDamage(write, ReplicaMessages::decodeWriteRequest);
        everyDamage(ReplicaMessages.readReply(TWO), ReplicaMessages::decodeReadReply);
        everyDamage(ForwardMessages.request(new WriteRequest(Op.PUT, bytes("k"), "ctx", bytes("v"), QuorumLevel.count(2), 1500, true), 1_700_000_000_000L),
                ForwardMessages::decodeRequest);
        everyDamage(ForwardMessages.reply(new PutResult("abc", 2, 1)), ForwardMessages::decodeReply);
        everyDamage(HintMessages.hintedWrite("n2", bytes("key"), TWO), HintMessages::decodeHintedWrite);
        everyDamage(HintMessages.hintRead(bytes("key"), java.util.List.of("n2", "n3")), HintMessages::decodeHintRead);
        everyDamage(ReplyStatus.error(new QuorumNotMetException("put", 2, 1)), ForwardMessages::decodeReply);
    }

    @Test
    void forwarded_writes_carry_a_quorum_per_data_center_and_its_failure_names_the_data_center() {
        WriteRequest local = new WriteRequest(Op.PUT, bytes("k"), null, bytes("v"), QuorumLevel.localQuorum("dc1"), 1500, true);
        // flags 0x03 = sloppy | local quorum << 1, write quorum 0, then the data center after the not-after time
        assertThat(ForwardMessages.request(local, 5)).containsExactly(1, 1, 3, 0, 0xDC, 0x0B, 5, 3, 'd', 'c', '1', 0, 1, 'k', 1, 'v');
        assertThat(ForwardMessages.decodeRequest(ForwardMessages.request(local, 5)).request().quorum())
                .isEqualTo(QuorumLevel.localQuorum("dc1"));
        WriteRequest each = new WriteRequest(Op.DELETE, bytes("k"), null, null, QuorumLevel.eachQuorum(), 10, false);
        assertThat(ForwardMessages.decodeRequest(ForwardMessages.request(each, 5)).request().quorum())
                .isEqualTo(QuorumLevel.eachQuorum());
        everyDamage(ForwardMessages.request(local, 5), ForwardMessages::decodeRequest);
        // a count of 0, or a level with a count, is malformed
        assertThatThrownBy(() -> ForwardMessages.decodeRequest(new byte[] {1, 1, 0, 0, 10, 5, 0, 1, 'k', 1, 'v'}))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ForwardMessages.decodeRequest(new byte[] {1, 1, 4, 2, 10, 5, 0, 1, 'k', 1, 'v'}))
                .isInstanceOf(MalformedMessageException.class);

        byte[] short2 = ReplyStatus.error(new QuorumNotMetException("put", 2, 0, "dc2"));
        assertThat(short2).containsExactly(6, 1, 2, 0, 3, 'd', 'c', '2');
        assertThatThrownBy(() -> ForwardMessages.decodeReply(short2)).isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
            assertThat(e.dataCenter()).contains("dc2");
            assertThat(e.required()).isEqualTo(2);
            assertThat(e.acknowledged()).isZero();
        });
        everyDamage(short2, ForwardMessages::decodeReply);
    }

    @Test
    void unknown_status_and_op_codes_are_malformed() {
        assertThatThrownBy(() -> ReplicaMessages.decodeWriteReply(new byte[] {9})).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ForwardMessages.decodeReply(new byte[] {3, 7, 2, 1})).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ForwardMessages.decodeRequest(new byte[] {1, 0, 2, 10, 5, 0, 1, 'k'}))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not put or delete");
    }

    private static void everyDamage(byte[] valid, Consumer<byte[]> decoder) {
        for (int cut = 0; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            assertThatThrownBy(() -> decoder.accept(truncated)).as("cut at %d", cut).isInstanceOf(MalformedMessageException.class);
        }
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);
        assertThatThrownBy(() -> decoder.accept(longer)).as("trailing byte").isInstanceOf(MalformedMessageException.class);
    }
}
