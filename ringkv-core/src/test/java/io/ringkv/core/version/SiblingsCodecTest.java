package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SiblingsCodecTest {

    @Provide
    Arbitrary<Siblings> siblings() {
        return VersionArbitraries.siblings();
    }

    @Property
    void round_trips(@ForAll("siblings") Siblings s) {
        byte[] bytes = SiblingsCodec.encode(s);
        assertThat(SiblingsCodec.decode(bytes)).isEqualTo(s);
        assertThat(SiblingsCodec.encode(SiblingsCodec.decode(bytes))).isEqualTo(bytes);
    }

    @Property
    void equal_sets_encode_to_equal_bytes_whatever_the_merge_order(@ForAll("siblings") Siblings a, @ForAll("siblings") Siblings b) {
        assertThat(SiblingsCodec.encode(a.merge(b))).isEqualTo(SiblingsCodec.encode(b.merge(a)));
    }

    @Property
    void every_truncation_is_rejected(@ForAll("siblings") Siblings s) {
        byte[] bytes = SiblingsCodec.encode(s);
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> SiblingsCodec.decode(cut)).isInstanceOf(MalformedVersionException.class);
        }
    }

    @Property
    void a_flipped_byte_is_rejected_or_decodes_to_a_well_formed_set(@ForAll("siblings") Siblings s,
            @ForAll int position, @ForAll byte mask) {
        byte[] bytes = SiblingsCodec.encode(s);
        int i = Math.floorMod(position, bytes.length);
        bytes[i] ^= (byte) (mask == 0 ? 1 : mask);
        Throwable t = catchThrowable(() -> SiblingsCodec.decode(bytes));
        if (t != null) {
            assertThat(t).isInstanceOf(MalformedVersionException.class);
        }
    }

    @Test
    void empty_set_is_two_bytes() {
        assertThat(SiblingsCodec.encode(Siblings.EMPTY)).containsExactly(2, 0);
        assertThat(SiblingsCodec.decode(new byte[] {2, 0})).isEqualTo(Siblings.EMPTY);
        assertThat(SiblingsCodec.decode(new byte[] {1, 0})).isEqualTo(Siblings.EMPTY);
    }

    @Test
    void rejects_unknown_format_trailing_bytes_and_null() {
        assertThatThrownBy(() -> SiblingsCodec.decode(new byte[] {3, 0})).hasMessageContaining("unknown sibling format 3");
        assertThatThrownBy(() -> SiblingsCodec.decode(new byte[] {1, 0, 0})).hasMessageContaining("trailing");
        assertThatThrownBy(() -> SiblingsCodec.decode(new byte[0])).hasMessageContaining("truncated");
        assertThatThrownBy(() -> SiblingsCodec.decode(null)).isInstanceOf(MalformedVersionException.class);
    }

    @Test
    void absurd_counts_and_lengths_fail_fast_without_allocating() {
        // count = 2^31-1 versions in a 7-byte input
        assertThatThrownBy(() -> SiblingsCodec.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0}))
                .isInstanceOf(MalformedVersionException.class).hasMessageContaining("only");
        // a varint that never ends
        byte[] endless = new byte[20];
        Arrays.fill(endless, (byte) 0x80);
        endless[0] = 1;
        assertThatThrownBy(() -> SiblingsCodec.decode(endless)).isInstanceOf(MalformedVersionException.class);
        // one version whose value length claims 2 GiB
        byte[] valid = SiblingsCodec.encode(Siblings.of(Versioned.of(VectorClock.EMPTY, new Dot("n", 1), new byte[0], 7)));
        byte[] huge = Arrays.copyOf(valid, valid.length + 4);
        huge[valid.length - 1] = (byte) 0xFF;
        huge[valid.length] = (byte) 0xFF;
        huge[valid.length + 1] = (byte) 0xFF;
        huge[valid.length + 2] = (byte) 0xFF;
        huge[valid.length + 3] = 0x07;
        assertThatThrownBy(() -> SiblingsCodec.decode(huge)).hasMessageContaining("runs past the end");
    }

    @Test
    void rejects_fields_that_break_the_rules() {
        byte[] valid = SiblingsCodec.encode(Siblings.of(Versioned.of(VectorClock.EMPTY, new Dot("n", 1), new byte[] {9}, 7)));
        // layout: format, count, flags, ts, len, 'n', counter, ctx count, value len, value
        assertThat(valid).containsExactly(2, 1, 0, 7, 1, 'n', 1, 0, 1, 9);

        byte[] badFlags = valid.clone();
        badFlags[2] = 4;
        assertThatThrownBy(() -> SiblingsCodec.decode(badFlags)).hasMessageContaining("unknown flags");
        // format 1 (no exact events) is still read, and knows no exact-events flag
        byte[] formatOne = valid.clone();
        formatOne[0] = 1;
        assertThat(SiblingsCodec.decode(formatOne)).isEqualTo(SiblingsCodec.decode(valid));
        formatOne[2] = 2;
        assertThatThrownBy(() -> SiblingsCodec.decode(formatOne)).hasMessageContaining("unknown flags");

        byte[] zeroCounter = valid.clone();
        zeroCounter[6] = 0;
        assertThatThrownBy(() -> SiblingsCodec.decode(zeroCounter)).hasMessageContaining("at least 1");

        byte[] tombstoneWithValue = valid.clone();
        tombstoneWithValue[2] = 1;
        assertThatThrownBy(() -> SiblingsCodec.decode(tombstoneWithValue)).hasMessageContaining("tombstone carries no value");

        byte[] badUtf8 = valid.clone();
        badUtf8[5] = (byte) 0xC3;
        assertThatThrownBy(() -> SiblingsCodec.decode(badUtf8)).hasMessageContaining("not valid UTF-8");

        byte[] emptyNode = {1, 1, 0, 7, 0, 1, 0, 1, 9};
        assertThatThrownBy(() -> SiblingsCodec.decode(emptyNode)).hasMessageContaining("is empty");
    }

    @Test
    void rejects_clock_entries_out_of_order() {
        VectorClock ctx = VectorClock.of(new VectorClock.Entry("a", 1, 0), new VectorClock.Entry("b", 1, 0));
        byte[] bytes = SiblingsCodec.encode(Siblings.of(Versioned.of(ctx, new Dot("n", 1), new byte[0], 0)));
        // swap the two node ids ('a' and 'b') in the context
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 'a') {
                bytes[i] = 'b';
            } else if (bytes[i] == 'b') {
                bytes[i] = 'a';
            }
        }
        assertThatThrownBy(() -> SiblingsCodec.decode(bytes)).hasMessageContaining("not strictly ascending");
    }

    @Test
    void failures_name_the_version_and_field_in_full() {
        // The names are formatted only when decoding fails; this pins their exact text.
        byte[] one = SiblingsCodec.encode(Siblings.of(Versioned.of(VectorClock.EMPTY, new Dot("n", 1), new byte[] {9}, 7)));
        byte[] badFlags = one.clone();
        badFlags[2] = 4;
        VectorClock ctx = VectorClock.of(new VectorClock.Entry("a", 1, 0), new VectorClock.Entry("b", 1, 0));
        byte[] two = SiblingsCodec.encode(Siblings.of(Versioned.of(VectorClock.EMPTY, new Dot("n", 1), new byte[0], 0))
                .merge(Siblings.of(Versioned.of(ctx, new Dot("m", 1), new byte[0], 0))));
        List<String> messages = new ArrayList<>();
        messages.add(decodeFailure(badFlags));
        messages.add(decodeFailure(new byte[] {1, 1, 0, 7, 0, 1, 0, 1, 9}));
        for (int length = 2; length < two.length; length++) {
            messages.add(decodeFailure(Arrays.copyOf(two, length)));
        }
        messages.add(decodeFailure(Arrays.copyOf(two, two.length + 1)));
        byte[] badLength = two.clone();
        badLength[9] = 'b';
        badLength[12] = 'a';
        messages.add(decodeFailure(badLength));
        byte[] swapped = two.clone(); // the context's node ids out of order
        for (int i = 0; i < swapped.length; i++) {
            swapped[i] = swapped[i] == 'a' ? (byte) 'b' : swapped[i] == 'b' ? (byte) 'a' : swapped[i];
        }
        messages.add(decodeFailure(swapped));
        assertThat(messages).containsExactly(
                "version 0 has unknown flags 0x4 (at byte 3)",
                "version 0 dot node id is empty (at byte 5)",
                "sibling count says 2 but only 0 bytes are left (at byte 2)",
                "sibling count says 2 but only 1 bytes are left (at byte 2)",
                "sibling count says 2 but only 2 bytes are left (at byte 2)",
                "sibling count says 2 but only 3 bytes are left (at byte 2)",
                "sibling count says 2 but only 4 bytes are left (at byte 2)",
                "sibling count says 2 but only 5 bytes are left (at byte 2)",
                "sibling count says 2 but only 6 bytes are left (at byte 2)",
                "sibling count says 2 but only 7 bytes are left (at byte 2)",
                "sibling count says 2 but only 8 bytes are left (at byte 2)",
                "sibling count says 2 but only 9 bytes are left (at byte 2)",
                "sibling count says 2 but only 10 bytes are left (at byte 2)",
                "sibling count says 2 but only 11 bytes are left (at byte 2)",
                "version 0 context entry count says 2 but only 6 bytes are left (at byte 8)",
                "version 0 context entry count says 2 but only 7 bytes are left (at byte 8)",
                "truncated: version 0 value length is missing (at byte 16)",
                "truncated: version 1 flags is missing (at byte 17)",
                "truncated: version 1 timestamp is missing (at byte 18)",
                "truncated: version 1 dot node id length is missing (at byte 19)",
                "version 1 dot node id length 1 runs past the end (0 bytes left) (at byte 20)",
                "truncated: version 1 dot counter is missing (at byte 21)",
                "truncated: version 1 context entry count is missing (at byte 22)",
                "truncated: version 1 value length is missing (at byte 23)",
                "sibling set has 1 unexpected trailing bytes (at byte 24)",
                "version 0 context node id length 97 runs past the end (11 bytes left) (at byte 13)",
                "version 0 context node ids are not strictly ascending: b then a (at byte 16)");
    }

    private static String decodeFailure(byte[] bytes) {
        return catchThrowable(() -> SiblingsCodec.decode(bytes)).getMessage();
    }
}
