package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ContextCodecTest {

    @Provide
    Arbitrary<VectorClock> clocks() {
        return VersionArbitraries.clocks();
    }

    @Property
    void round_trips_and_is_url_safe(@ForAll("clocks") VectorClock clock) {
        String context = ContextCodec.encode(clock);
        assertThat(context).matches("[A-Za-z0-9_-]+");
        assertThat(ContextCodec.decode(context)).isEqualTo(clock);
    }

    @Property
    void any_single_character_change_is_detected(@ForAll("clocks") VectorClock clock, @ForAll int position) {
        String context = ContextCodec.encode(clock);
        int i = Math.floorMod(position, context.length());
        char replacement = context.charAt(i) == 'A' ? 'B' : 'A';
        String damaged = context.substring(0, i) + replacement + context.substring(i + 1);
        // the last character may carry only padding bits; changing those yields the same bytes
        byte[] original = Base64.getUrlDecoder().decode(context);
        byte[] changed;
        try {
            changed = Base64.getUrlDecoder().decode(damaged);
        } catch (IllegalArgumentException e) {
            changed = null;
        }
        if (changed != null && java.util.Arrays.equals(original, changed)) {
            return;
        }
        assertThatThrownBy(() -> ContextCodec.decode(damaged)).isInstanceOf(InvalidContextException.class);
    }

    @Test
    void names_what_is_wrong() {
        assertThatThrownBy(() -> ContextCodec.decode(null)).hasMessageContaining("missing");
        assertThatThrownBy(() -> ContextCodec.decode("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ContextCodec.decode("not base64!")).hasMessageContaining("not base64url");
        assertThatThrownBy(() -> ContextCodec.decode("AAA")).hasMessageContaining("too short");
        assertThatThrownBy(() -> ContextCodec.decode("A".repeat(ContextCodec.MAX_CONTEXT_CHARS + 1))).hasMessageContaining("characters");
        String valid = ContextCodec.encode(VectorClock.EMPTY.increment("n1", 5));
        assertThatThrownBy(() -> ContextCodec.decode(valid.substring(0, valid.length() - 2))).isInstanceOf(InvalidContextException.class);
        assertThat(new InvalidContextException("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_an_unknown_format_with_a_valid_checksum() {
        byte[] body = {2, 0};
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        int c = (int) crc.getValue();
        byte[] bytes = {2, 0, (byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c};
        String context = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThatThrownBy(() -> ContextCodec.decode(context)).hasMessageContaining("unknown context format 2");
    }
}
