package io.ringkv.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/design/versioning.md, "Actors": an actor is resumed only after a clean stop. */
class ActorFileTest {
    @TempDir
    Path dir;

    @Test
    void a_first_start_takes_a_new_incarnation() {
        ActorFile.Start start = ActorFile.startup(dir, "node1");
        assertThat(start.resumed()).isFalse();
        assertThat(start.actor()).startsWith("node1~");
        assertThat(start.issued()).isZero();
    }

    @Test
    void a_clean_stop_is_resumed_above_its_last_counter_once() {
        ActorFile.Start first = ActorFile.startup(dir, "node1");
        ActorFile.markStopped(dir, first.actor(), 41_872);

        ActorFile.Start second = ActorFile.startup(dir, "node1");
        assertThat(second.resumed()).isTrue();
        assertThat(second.actor()).isEqualTo(first.actor());
        assertThat(second.issued()).isEqualTo(41_872);

        // no clean stop recorded since: this start must be taken for a crash of the second run
        ActorFile.Start afterCrash = ActorFile.startup(dir, "node1");
        assertThat(afterCrash.resumed()).isFalse();
        assertThat(afterCrash.actor()).isNotEqualTo(first.actor());
        assertThat(afterCrash.reason()).contains("did not stop cleanly");
    }

    @Test
    void a_damaged_foreign_or_forgotten_file_gives_a_new_incarnation() throws Exception {
        ActorFile.markStopped(dir, "node1~aaaaaaaaaa", 7);
        byte[] good = Files.readAllBytes(dir.resolve(ActorFile.FILE_NAME));
        byte[] damaged = good.clone();
        damaged[20] ^= 1;
        Files.write(dir.resolve(ActorFile.FILE_NAME), damaged);
        assertThat(ActorFile.startup(dir, "node1").reason()).contains("damaged");

        Files.write(dir.resolve(ActorFile.FILE_NAME), good);
        assertThat(ActorFile.startup(dir, "node2").resumed()).as("another node's file").isFalse();

        ActorFile.markStopped(dir, "node1~aaaaaaaaaa", 7);
        ActorFile.startNewIncarnation(dir); // the runbook's step after restoring a backup
        assertThat(ActorFile.startup(dir, "node1").actor()).isNotEqualTo("node1~aaaaaaaaaa");
    }
}
