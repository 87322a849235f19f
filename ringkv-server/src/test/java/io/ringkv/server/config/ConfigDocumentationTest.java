package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md and conf/ringkv.yaml must name every key the loader reads. */
class ConfigDocumentationTest {
    @Test
    void every_key_is_documented_and_in_the_example() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        String example = Files.readString(Path.of("..", "conf", "ringkv.yaml"));
        var keys = NodeConfigLoader.knownKeys();
        assertThat(keys).contains("node.id", "storage.sync.policy", "storage.compaction.minThreshold", "replication.w")
                .hasSizeGreaterThan(30);
        for (String key : keys) {
            assertThat(doc).as("docs/configuration.md documents " + key).contains("`" + key + "`");
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertThat(example).as("conf/ringkv.yaml shows " + key).contains(leaf + ":");
        }
    }
}
