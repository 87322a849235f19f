package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Dynamo §4.4 / the design notes' vector clock example (D1..D5), played at the value level
 * across servers Sx, Sy and Sz.
 */
class DynamoVectorClockExampleTest {

    private static byte[] v(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void d1_to_d5() {
        // 1. A client writes D1 to server Sx: D1([Sx,1]).
        Versioned d1 = Versioned.of(VectorClock.EMPTY, new Dot("Sx", 1), v("D1"), 1);
        assertThat(d1.history().toString()).isEqualTo("[Sx:1]");

        // 2. A client reads D1, updates it to D2, and Sx handles the write again: D2([Sx,2]).
        Versioned d2 = Versioned.of(d1.history(), new Dot("Sx", 2), v("D2"), 2);
        assertThat(d2.history().toString()).isEqualTo("[Sx:2]");
        Siblings atSx = Siblings.of(d1).add(d2);
        assertThat(atSx.versions()).containsExactly(d2);

        // 3. A client reads D2 and updates it to D3 through server Sy: D3([Sx,2],[Sy,1]).
        Versioned d3 = Versioned.of(d2.history(), new Dot("Sy", 1), v("D3"), 3);
        assertThat(d3.history().toString()).isEqualTo("[Sx:2, Sy:1]");

        // 4. Another client reads D2 and updates it to D4 through server Sz: D4([Sx,2],[Sz,1]).
        Versioned d4 = Versioned.of(d2.history(), new Dot("Sz", 1), v("D4"), 4);
        assertThat(d4.history().toString()).isEqualTo("[Sx:2, Sz:1]");

        // D3 and D4 are concurrent: both descend from D2, neither from the other.
        assertThat(d3.history().past().compare(d4.history().past())).isEqualTo(Occurred.CONCURRENT);
        assertThat(d3.history().past().compare(d2.history().past())).isEqualTo(Occurred.AFTER);
        Siblings replicaSeesBoth = atSx.add(d3).add(d4);
        assertThat(replicaSeesBoth.versions()).containsExactly(d3, d4);
        assertThat(replicaSeesBoth.liveValues()).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("D3", "D4");

        // 5. A client reads D3 and D4 (one context covering both), reconciles, and Sx writes D5.
        CausalContext context = replicaSeesBoth.readContext();
        assertThat(context.toString()).isEqualTo("[Sx:2, Sy:1, Sz:1]");
        ContextCodec codec = ContextCodec.forSecret("the cluster secret");
        CausalContext roundTripped = codec.decode(codec.encode(context));
        Versioned d5 = Versioned.of(roundTripped, new Dot("Sx", 3), v("D5"), 5);
        assertThat(d5.history().toString()).isEqualTo("[Sx:3, Sy:1, Sz:1]");

        // D5 supersedes both, in whichever order the replicas learn of the versions.
        assertThat(replicaSeesBoth.add(d5).versions()).containsExactly(d5);
        assertThat(Siblings.of(d5).add(d3).add(d4).versions()).containsExactly(d5);
        assertThat(Siblings.of(d4).merge(Siblings.of(d5)).merge(Siblings.of(d1, d3)).versions()).containsExactly(d5);
    }
}
