package io.ringkv.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.core.ring.Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity file on real files: round trips, generations that only go up, and damage refused by name. */
class NodeIdentityFileTest {
    @TempDir
    Path dir;

    private static final List<Token> TOKENS = List.of(new Token(0, 5), new Token(1, 0), new Token(-1L, -2L));

    @Test
    void roundTripsIdTokensAndGeneration() {
        NodeIdentity written = new NodeIdentity("node7", 1_700_000_000_123L, TOKENS);
        NodeIdentityFile.write(dir, written);
        assertThat(NodeIdentityFile.read(dir)).contains(written);
        assertThat(dir.resolve(NodeIdentityFile.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void aMissingFileMeansANewNode() {
        assertThat(NodeIdentityFile.read(dir)).isEmpty();
        NodeIdentity first = NodeIdentityFile.startup(dir, "node1", 42);
        assertThat(first).isEqualTo(new NodeIdentity("node1", 42, List.of()));
        assertThat(NodeIdentityFile.read(dir)).contains(first);
    }

    @Test
    void everyStartHasAStrictlyHigherGenerationAndKeepsTheTokens() {
        NodeIdentityFile.write(dir, new NodeIdentity("node1", 5_000, TOKENS));
        // wall clock behind the saved generation (clock stepped back): saved + 1
        NodeIdentity second = NodeIdentityFile.startup(dir, "node1", 10);
        assertThat(second.generation()).isEqualTo(5_001);
        assertThat(second.tokens()).isEqualTo(TOKENS);
        // wall clock ahead: the wall clock
        NodeIdentity third = NodeIdentityFile.startup(dir, "node1", 9_000);
        assertThat(third.generation()).isEqualTo(9_000);
        // the same wall clock reading again still moves up
        NodeIdentity fourth = NodeIdentityFile.startup(dir, "node1", 9_000);
        assertThat(fourth.generation()).isEqualTo(9_001);
        assertThat(NodeIdentityFile.read(dir)).contains(fourth);
    }

    @Test
    void aDataDirectoryOfAnotherNodeIsRefused() {
        NodeIdentityFile.write(dir, new NodeIdentity("node1", 5, TOKENS));
        assertThatThrownBy(() -> NodeIdentityFile.startup(dir, "node2", 10))
                .isInstanceOf(NodeIdentityException.class)
                .hasMessageContaining(NodeIdentityFile.path(dir).toString())
                .hasMessageContaining("belongs to node 'node1'")
                .hasMessageContaining("'node2'");
    }

    @Test
    void everySingleByteFlipIsDetectedAndNamesTheFile() throws IOException {
        NodeIdentityFile.write(dir, new NodeIdentity("node1", 123_456, TOKENS));
        Path file = NodeIdentityFile.path(dir);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x04;
            Files.write(file, bad);
            assertThatThrownBy(() -> NodeIdentityFile.read(dir)).as("flip at byte %d", i)
                    .isInstanceOf(NodeIdentityException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("damaged");
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        NodeIdentityFile.write(dir, new NodeIdentity("node1", 123_456, TOKENS));
        Path file = NodeIdentityFile.path(dir);
        byte[] good = Files.readAllBytes(file);
        for (int length = 0; length < good.length; length++) {
            Files.write(file, java.util.Arrays.copyOf(good, length));
            assertThatThrownBy(() -> NodeIdentityFile.read(dir)).as("truncated to %d bytes", length)
                    .isInstanceOf(NodeIdentityException.class)
                    .hasMessageContaining("damaged");
        }
    }

    @Test
    void aWellChecksummedFileWithNonsenseInsideIsStillRefused() throws IOException {
        String body = "ringkv-node-identity 1\nnode node1\ngeneration 7\ntokens 2\n00000000000000000000000000000001\n";
        Files.write(NodeIdentityFile.path(dir), withCrc(body));
        assertThatThrownBy(() -> NodeIdentityFile.read(dir)).hasMessageContaining("says 2 tokens but holds 1");

        String unsorted = "ringkv-node-identity 1\nnode node1\ngeneration 7\ntokens 2\n"
                + "00000000000000000000000000000002\n00000000000000000000000000000001\n";
        Files.write(NodeIdentityFile.path(dir), withCrc(unsorted));
        assertThatThrownBy(() -> NodeIdentityFile.read(dir)).hasMessageContaining("strictly increasing");

        Files.write(NodeIdentityFile.path(dir), withCrc("ringkv-node-identity 9\nnode a\ngeneration 1\ntokens 0\n"));
        assertThatThrownBy(() -> NodeIdentityFile.read(dir)).hasMessageContaining("not a version 1");
    }

    @Test
    void theFileIsReadableText() throws IOException {
        NodeIdentityFile.write(dir, new NodeIdentity("node1", 77, List.of(new Token(0, 1))));
        assertThat(Files.readString(NodeIdentityFile.path(dir))).startsWith(
                "ringkv-node-identity 1\nnode node1\ngeneration 77\ntokens 1\n00000000000000000000000000000001\ncrc32c ");
    }

    private static byte[] withCrc(String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(content);
        String trailer = "crc32c " + java.util.HexFormat.of().toHexDigits((int) crc.getValue()) + "\n";
        return (body + trailer).getBytes(StandardCharsets.UTF_8);
    }
}
