package io.ringkv.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    @Property
    void every_record_round_trips(@ForAll @Size(max = 12) Map<String, byte[]> fields) {
        Map<String, byte[]> decoded = RecordCodec.decode(RecordCodec.encode(fields));
        assertThat(decoded.keySet()).containsExactlyElementsOf(fields.keySet());
        fields.forEach((name, value) -> assertThat(decoded.get(name)).isEqualTo(value));
    }

    @Test
    void the_anchor_record_takes_109_bytes() {
        Map<String, byte[]> record = new LinkedHashMap<>();
        record.put("field0", new byte[100]);
        byte[] encoded = RecordCodec.encode(record);
        assertThat(encoded).hasSize(109);
        assertThat(encoded[0]).isEqualTo((byte) RecordCodec.VERSION);
    }

    @Test
    void long_values_use_multi_byte_lengths() {
        Map<String, byte[]> record = Map.of("f", "x".repeat(70_000).getBytes(StandardCharsets.UTF_8));
        assertThat(RecordCodec.decode(RecordCodec.encode(record)).get("f")).hasSize(70_000);
    }

    @Test
    void bytes_that_are_not_a_record_are_refused_with_the_reason() {
        assertThatThrownBy(() -> RecordCodec.decode(new byte[0])).hasMessageContaining("format byte missing");
        assertThatThrownBy(() -> RecordCodec.decode("hello".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a YCSB record");
        assertThatThrownBy(() -> RecordCodec.decode(new byte[] {1, 5, 'a'})).hasMessageContaining("truncated");
        assertThatThrownBy(() -> RecordCodec.decode(new byte[] {1, (byte) 0x80})).hasMessageContaining("truncated inside a length");
        assertThatThrownBy(() -> RecordCodec.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}))
                .hasMessageContaining("malformed length");
    }
}
