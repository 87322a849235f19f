package io.ringkv.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a node records its ahead-of-time cache, when it uses it, and when a stale one is thrown away. */
class AotCacheTest {
    @TempDir
    Path dir;

    @Test
    void a_node_records_a_cache_when_asked_and_uses_it_while_the_same_jvm_and_jars_run() throws Exception {
        NodeLayout node = new NodeLayout(1, dir.resolve("node1"));
        Files.createDirectories(node.dir());
        Path cache = node.aotCache();

        assertThat(AotCache.optionsFor(node, "fp-1", false)).as("no cache, none recorded unless asked").isEmpty();
        assertThat(AotCache.optionsFor(node, "fp-1", true)).containsExactly("-XX:AOTCacheOutput=" + cache);
        Files.write(cache, new byte[] {1, 2, 3}); // what the JVM writes when the node stops cleanly
        assertThat(AotCache.optionsFor(node, "fp-1", false)).containsExactly("-XX:AOTCache=" + cache);
        assertThat(AotCache.optionsFor(node, "fp-1", true)).as("recorded anew when asked")
                .containsExactly("-XX:AOTCacheOutput=" + cache);
        assertThat(cache).doesNotExist();

        Files.write(cache, new byte[] {4, 5, 6});
        assertThat(AotCache.optionsFor(node, "fp-2", false)).as("made by other jars: not used").isEmpty();
        assertThat(cache).as("and deleted").doesNotExist();
    }

    @Test
    void a_node_killed_while_recording_leaves_no_cache_to_use() throws Exception {
        NodeLayout node = new NodeLayout(1, dir.resolve("node1"));
        Files.createDirectories(node.dir());
        AotCache.optionsFor(node, "fp-1", true);
        // no cache file: the node was killed (kill -9 writes none)
        assertThat(AotCache.optionsFor(node, "fp-1", false)).isEmpty();
    }

    @Test
    void the_fingerprint_changes_with_the_jvm_its_options_and_any_jar_of_the_classpath() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path jar = Files.write(lib.resolve("a.jar"), new byte[] {1});
        String wildcard = lib + File.separator + "*";
        List<String> options = List.of("-Xms1g", "-Xmx1g");
        String before = AotCache.fingerprint("/jdk", "25+36", wildcard, options);

        assertThat(AotCache.fingerprint("/jdk", "25+36", wildcard, options)).isEqualTo(before);
        assertThat(AotCache.fingerprint("/jdk", "25.0.1+8", wildcard, options)).isNotEqualTo(before);
        assertThat(AotCache.fingerprint("/jdk", "25+36", wildcard, List.of("-Xms2g", "-Xmx2g")))
                .as("another heap").isNotEqualTo(before);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertThat(AotCache.fingerprint("/jdk", "25+36", wildcard, options)).as("a rebuilt jar").isNotEqualTo(before);
        String rebuilt = AotCache.fingerprint("/jdk", "25+36", wildcard, options);
        Files.write(lib.resolve("b.jar"), new byte[] {2});
        assertThat(AotCache.fingerprint("/jdk", "25+36", wildcard, options)).as("a jar added").isNotEqualTo(rebuilt);
    }
}
