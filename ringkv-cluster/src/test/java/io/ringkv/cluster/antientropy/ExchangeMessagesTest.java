package io.ringkv.cluster.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.antientropy.ExchangeMessages.KeyDigest;
import io.ringkv.cluster.antientropy.ExchangeMessages.KeySet;
import io.ringkv.cluster.antientropy.ExchangeMessages.RangeRef;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The anti-entropy messages as docs/design/anti-entropy.md writes them, byte by byte. */
class ExchangeMessagesTest {
    static final RangeRef WHOLE_RING = new RangeRef(new TokenRange(Token.MIN, Token.MIN), 10);
    static final RangeRef SOME = new RangeRef(new TokenRange(Token.parse("0102030405060708090a0b0c0d0e0f10"), Token.MAX), 12);

    @Test
    void the_root_request_and_its_reply_are_the_documented_bytes() {
        byte[] request = ExchangeMessages.levelRequest(WHOLE_RING, 0, new int[] {0});
        assertThat(HexFormat.of().formatHex(request)).isEqualTo("01" + "00".repeat(32) + "0a" + "000100");
        assertThat(request).hasSize(37);
        byte[] reply = ExchangeMessages.levelReply(new long[] {0});
        assertThat(reply).hasSize(9);
        assertThat(ExchangeMessages.decodeLevelReply(reply, 1)).containsExactly(0L);
    }

    @Test
    void every_message_round_trips() {
        var level = ExchangeMessages.decodeLevelRequest(ExchangeMessages.levelRequest(SOME, 3, new int[] {1, 4, 7}));
        assertThat(level.ref()).isEqualTo(SOME);
        assertThat(level.level()).isEqualTo(3);
        assertThat(level.positions()).containsExactly(1, 4, 7);

        var leaves = ExchangeMessages.decodeLeavesRequest(ExchangeMessages.leavesRequest(SOME, new int[] {0, 4095}));
        assertThat(leaves.leaves()).containsExactly(0, 4095);
        List<List<KeyDigest>> lists = List.of(List.of(new KeyDigest(new byte[] {1}, -1L), new KeyDigest(new byte[] {2, 3}, 42)), List.of());
        var back = ExchangeMessages.decodeLeavesReply(ExchangeMessages.leavesReply(lists), 2);
        assertThat(back.get(0)).extracting(KeyDigest::digest).containsExactly(-1L, 42L);
        assertThat(back.get(1)).isEmpty();

        var keys = ExchangeMessages.decodeKeysRequest(ExchangeMessages.keysRequest(SOME, List.of(new byte[] {9}, new byte[] {8, 8})));
        assertThat(keys.keys()).hasSize(2);
        List<KeySet> sets = List.of(new KeySet(new byte[] {9}, new byte[] {2, 0}), new KeySet(new byte[] {7}, new byte[0]));
        assertThat(ExchangeMessages.decodeSetsReply(ExchangeMessages.setsReply(sets))).hasSize(2)
                .satisfies(s -> assertThat(s.get(1).siblings()).isEmpty());
        assertThat(ExchangeMessages.decodeSetsRequest(ExchangeMessages.setsRequest(SOME, sets)).sets()).hasSize(2);
        assertThat(ExchangeMessages.decodeSetsReply(ExchangeMessages.setsReply(List.of()))).as("a push nobody was ahead of")
                .isEmpty();
    }

    @Test
    void every_truncation_and_any_trailing_byte_is_rejected() {
        rejectsEveryTruncation(ExchangeMessages.levelRequest(SOME, 2, new int[] {0, 3}), ExchangeMessages::decodeLevelRequest);
        rejectsEveryTruncation(ExchangeMessages.leavesRequest(SOME, new int[] {5}), ExchangeMessages::decodeLeavesRequest);
        rejectsEveryTruncation(ExchangeMessages.keysRequest(SOME, List.of(new byte[] {1, 2})), ExchangeMessages::decodeKeysRequest);
        rejectsEveryTruncation(ExchangeMessages.setsRequest(SOME, List.of(new KeySet(new byte[] {1}, new byte[] {2, 0}))),
                ExchangeMessages::decodeSetsRequest);
    }

    @Test
    void bad_fields_are_refused_with_what_was_wrong() {
        assertThatThrownBy(() -> ExchangeMessages.decodeLevelRequest(ExchangeMessages.levelRequest(SOME, 2, new int[] {3, 1})))
                .isInstanceOf(MalformedExchangeException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> ExchangeMessages.decodeLevelRequest(ExchangeMessages.levelRequest(SOME, 13, new int[] {0})))
                .hasMessageContaining("below the leaves");
        byte[] otherFormat = ExchangeMessages.levelRequest(SOME, 0, new int[] {0});
        otherFormat[0] = 2;
        assertThatThrownBy(() -> ExchangeMessages.decodeLevelRequest(otherFormat)).hasMessageContaining("unknown anti-entropy format 2");
    }

    @Test
    void refusals_come_back_typed() {
        assertThatThrownBy(() -> ExchangeMessages.decodeLevelReply(
                ExchangeMessages.errorReply(ExchangeMessages.RANGE_UNKNOWN, "not mine"), 1))
                .isInstanceOf(RangeUnknownException.class).hasMessageContaining("not mine");
        assertThatThrownBy(() -> ExchangeMessages.decodeSetsReply(ExchangeMessages.errorReply(ExchangeMessages.FAILED, "disk")))
                .isInstanceOf(ExchangeFailedException.class).isNotInstanceOf(RangeUnknownException.class).hasMessageContaining("disk");
        assertThatThrownBy(() -> ExchangeMessages.decodeSetsReply(ExchangeMessages.errorReply(ExchangeMessages.MALFORMED, "?")))
                .isInstanceOf(MalformedExchangeException.class);
    }

    private static void rejectsEveryTruncation(byte[] whole, Consumer<byte[]> decode) {
        decode.accept(whole);
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            assertThatThrownBy(() -> decode.accept(cut)).as("cut to %d bytes", n).isInstanceOf(MalformedExchangeException.class);
        }
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThatThrownBy(() -> decode.accept(longer)).isInstanceOf(MalformedExchangeException.class);
    }
}
