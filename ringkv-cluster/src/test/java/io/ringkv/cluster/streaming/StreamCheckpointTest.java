package io.ringkv.cluster.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint a crashed join or decommission resumes from, with several transfers in flight. */
class StreamCheckpointTest {
    @TempDir
    Path dir;

    private static String transfer(long from, long to) {
        return StreamCheckpoint.id(new TokenRange(new Token(0, from), new Token(0, to)), "node2");
    }

    @Test
    void everyTransferInFlightResumesWhereItWasAndDoneOnesAreSkipped() {
        StreamCheckpoint written = StreamCheckpoint.load(dir);
        written.progress(transfer(0, 100), new Token(0, 40));
        written.progress(transfer(100, 200), new Token(0, 150));
        written.progress(transfer(200, 300), new Token(0, 210));
        written.done(transfer(200, 300));
        written.progress(transfer(0, 100), new Token(0, 60));

        StreamCheckpoint read = StreamCheckpoint.load(dir); // after a crash
        assertThat(read.resumeAfter(transfer(0, 100))).contains(new Token(0, 60));
        assertThat(read.resumeAfter(transfer(100, 200))).contains(new Token(0, 150));
        assertThat(read.resumeAfter(transfer(200, 300))).as("done: nothing to resume").isEmpty();
        assertThat(read.isDone(transfer(200, 300))).isTrue();
        assertThat(read.isDone(transfer(0, 100))).isFalse();

        read.clear();
        assertThat(Files.exists(dir.resolve(StreamCheckpoint.NAME))).isFalse();
    }

    @Test
    void aDamagedFileIsIgnoredSoEveryRangeIsStreamedAgain() throws Exception {
        Files.writeString(dir.resolve(StreamCheckpoint.NAME), "done garbage\n");
        StreamCheckpoint read = StreamCheckpoint.load(dir);
        assertThat(read.isDone(transfer(0, 100))).isFalse();
        assertThat(read.resumeAfter(transfer(0, 100))).isEmpty();
    }
}
