package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ContextCodecTest {
    static final ContextCodec CODEC = ContextCodec.forSecret("a cluster secret, 16+ chars");

    @Provide
    Arbitrary<CausalContext> contexts() {
        return VersionArbitraries.contexts();
    }

    @Property
    void round_trips_and_is_url_safe(@ForAll("contexts") CausalContext context) {
        String encoded = CODEC.encode(context);
        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(CODEC.decode(encoded)).isEqualTo(context);
    }

    @Property
    void any_single_character_change_is_detected(@ForAll("contexts") CausalContext context, @ForAll int position) {
        String encoded = CODEC.encode(context);
        int i = Math.floorMod(position, encoded.length());
        char replacement = encoded.charAt(i) == 'A' ? 'B' : 'A';
        String damaged = encoded.substring(0, i) + replacement + encoded.substring(i + 1);
        // the last character may carry only padding bits; changing those yields the same bytes
        byte[] original = Base64.getUrlDecoder().decode(encoded);
        byte[] changed;
        try {
            changed = Base64.getUrlDecoder().decode(damaged);
        } catch (IllegalArgumentException e) {
            changed = null;
        }
        if (changed != null && java.util.Arrays.equals(original, changed)) {
            return;
        }
        assertThatThrownBy(() -> CODEC.decode(damaged)).isInstanceOf(InvalidContextException.class);
    }

    @Property
    void a_context_made_under_another_key_is_refused(@ForAll("contexts") CausalContext context) {
        String elsewhere = ContextCodec.forSecret("another cluster's secret").encode(context);
        assertThatThrownBy(() -> CODEC.decode(elsewhere)).hasMessageContaining("not issued by this cluster");
    }

    @Test
    void exact_events_survive_the_round_trip() {
        CausalContext c = CausalContext.of(VectorClock.of(new VectorClock.Entry("n1~a", 3, 10)),
                List.of(new VectorClock.Entry("n1~a", 7, 20), new VectorClock.Entry("n2~b", 2, 30)));
        CausalContext back = CODEC.decode(CODEC.encode(c));
        assertThat(back.dots()).extracting(VectorClock.Entry::counter).containsExactly(7L, 2L);
        assertThat(back.contains("n1~a", 3)).isTrue();
        assertThat(back.contains("n1~a", 5)).isFalse();
        assertThat(back.contains("n1~a", 7)).isTrue();
    }

    @Test
    void names_what_is_wrong() {
        assertThatThrownBy(() -> CODEC.decode(null)).hasMessageContaining("missing");
        assertThatThrownBy(() -> CODEC.decode("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> CODEC.decode("not base64!")).hasMessageContaining("not base64url");
        assertThatThrownBy(() -> CODEC.decode("AAA")).hasMessageContaining("too short");
        assertThatThrownBy(() -> CODEC.decode("A".repeat(ContextCodec.MAX_CONTEXT_CHARS + 1))).hasMessageContaining("characters");
        String valid = CODEC.encode(CausalContext.of(VectorClock.EMPTY.increment("n1", 5)));
        assertThatThrownBy(() -> CODEC.decode(valid.substring(0, valid.length() - 2))).isInstanceOf(InvalidContextException.class);
        assertThat(new InvalidContextException("x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Format 1 was a plain clock that over-claimed after a write (issue 10): refused, with what to do. */
    @Test
    void a_format_1_context_is_refused_with_a_reason() {
        byte[] body = {1, 1, 2, 'n', '1', 5, 0};
        CRC32C crc = new CRC32C();
        crc.update(body);
        int c = (int) crc.getValue();
        byte[] bytes = java.util.Arrays.copyOf(body, body.length + 4);
        for (int i = 0; i < 4; i++) {
            bytes[body.length + i] = (byte) (c >>> (24 - 8 * i));
        }
        String old = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThatThrownBy(() -> CODEC.decode(old)).isInstanceOf(InvalidContextException.class)
                .hasMessageContaining("format 1 is no longer accepted").hasMessageContaining("read the key again");
    }
}
