package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    @Test
    void the_hand_written_write_answer_is_byte_for_byte_what_jackson_writes() {
        String[] keys = {"k", "", "quote\"back\\slash", "line\nfeed\r\ttab\b\f", "\u0000\u0001\u001f\u007f",
                "é ü 日本 \uD83D\uDE00", "/slash</script>", "\uFFFD"};
        for (String key : keys) {
            String context = "n1:3-n2:7";
            var expected = JsonBodies.MAPPER.createObjectNode().put("key", key).put("context", context);
            expected.putObject("acknowledged").put("replicas", 2).put("hints", 1);
            byte[] jackson = JsonBodies.bytes(expected);
            assertThat(new String(JsonBodies.writeReply(key, context, 2, 1), StandardCharsets.UTF_8))
                    .as("key %s", key)
                    .isEqualTo(new String(jackson, StandardCharsets.UTF_8));
        }
    }
}
