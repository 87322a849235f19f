package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A sequential client that writes a fresh key through one coordinator and reads it back
 * through another, at the cluster's default quorums, and fails on the first answer that is not
 * 200 with exactly the value written. Coordinators take turns, so every one of them both
 * coordinates writes and serves reads. Every loop is bounded in steps and time.
 */
final class WriteReadLoop {
    private final String keyPrefix;
    private final List<KvClient> coordinators;
    private final Map<String, String> written = new LinkedHashMap<>();
    private long slowestRequestNanos;

    WriteReadLoop(String keyPrefix, List<KvClient> coordinators) {
        this.keyPrefix = keyPrefix;
        this.coordinators = List.copyOf(coordinators);
    }

    /** Runs {@code steps} write-then-read steps. */
    void run(int steps) {
        for (int i = 0; i < steps; i++) {
            step();
        }
    }

    /**
     * Runs steps until {@code condition} holds (checked between steps); fails if it does not
     * within {@code limit} or {@code maxSteps}. Returns the number of steps run.
     */
    int runUntil(BooleanSupplier condition, String what, Duration limit, int maxSteps) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (int steps = 0; steps < maxSteps; steps++) {
            if (condition.getAsBoolean()) {
                return steps;
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            step();
        }
        throw new AssertionError("load ran " + written.size() + " steps without " + what + " within " + limit.toMillis()
                + " ms / " + maxSteps + " steps");
    }

    private void step() {
        int i = written.size();
        String key = keyPrefix + "-" + i;
        String value = "value-" + i;
        KvClient writer = coordinators.get(i % coordinators.size());
        KvClient reader = coordinators.get((i + 1) % coordinators.size());
        Reply put = timed(() -> writer.put(key, value));
        assertThat(put.status()).as("step %d: put %s through %s: %s", i, key, writer.baseUrl(), put).isEqualTo(200);
        written.put(key, value);
        Reply get = timed(() -> reader.get(key));
        assertThat(get.status()).as("step %d: get %s through %s: %s", i, key, reader.baseUrl(), get).isEqualTo(200);
        assertThat(get.stringValues()).as("step %d: get %s through %s", i, key, reader.baseUrl()).containsExactly(value);
    }

    private Reply timed(Supplier<Reply> request) {
        long start = System.nanoTime();
        Reply reply = request.get();
        slowestRequestNanos = Math.max(slowestRequestNanos, System.nanoTime() - start);
        return reply;
    }

    /** Every key written so far (each acknowledged with 200) and its value. */
    Map<String, String> written() {
        return Map.copyOf(written);
    }

    int steps() {
        return written.size();
    }

    /** For the test output only: no test asserts on speed. */
    long slowestRequestMillis() {
        return slowestRequestNanos / 1_000_000;
    }

    /** Reads every written key through {@code reader} (default quorum) and checks its value. */
    void verifyAllReadableThrough(KvClient reader) {
        List<String> wrong = new ArrayList<>();
        written.forEach((key, value) -> {
            Reply get = reader.get(key);
            if (get.status() != 200 || !get.stringValues().equals(List.of(value))) {
                wrong.add(key + " -> " + get);
            }
        });
        assertThat(wrong).as("keys read through %s without their written value", reader.baseUrl()).isEmpty();
    }
}
