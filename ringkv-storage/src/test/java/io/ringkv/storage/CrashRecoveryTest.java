package io.ringkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real crashes: a child JVM writes from several threads and prints each acknowledged write;
 * the test SIGKILLs it (destroyForcibly) at a random point, reopens the engine on the same
 * directory and checks that every acknowledged write is there with its value. The directory
 * is reused across cycles, so recovering an already recovered state is exercised too.
 *
 * <p>Values are write sequence numbers. For a key, the recovered value must be at least the
 * last acknowledged one and at most one write newer (each thread has one write in flight when
 * killed, which may or may not have become durable). Keys not written in a cycle must keep
 * exactly the value verified after the previous cycle.
 */
class CrashRecoveryTest {
    private static final int THREADS = 4;
    private static final int KEYS_PER_THREAD = 300;
    private static final int CYCLES = 10;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"always", "batch"})
    void everyAcknowledgedWriteSurvivesKillDashNine(String policy) throws Exception {
        Random random = new Random(policy.hashCode());
        Map<String, Long> verified = new HashMap<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            long firstSeq = (cycle + 1) * 1_000_000L;
            int killAfterAcks = 200 + random.nextInt(2500);
            long[] lastAck = runAndKill(policy, firstSeq, killAfterAcks);
            try (StorageEngine engine = StorageEngine.open(CrashWriterMain.crashOptions(dir,
                    policy.equals("always") ? SyncPolicy.always() : SyncPolicy.batch(2)))) {
                verifyCycle(engine, firstSeq, lastAck, verified);
            }
        }
    }

    /** Runs the child until it has acknowledged {@code killAfterAcks} writes, then SIGKILLs it. */
    private long[] runAndKill(String policy, long firstSeq, int killAfterAcks) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName(),
                dir.toString(), policy, Long.toString(firstSeq), Integer.toString(THREADS),
                Integer.toString(KEYS_PER_THREAD));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        long[] lastAck = new long[THREADS];
        java.util.Arrays.fill(lastAck, -1);
        int acks = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (acks < killAfterAcks && (line = in.readLine()) != null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("child made too little progress: " + acks + " acks");
                }
                if (line.startsWith("A ")) {
                    String[] parts = line.split(" ");
                    int thread = Integer.parseInt(parts[1]);
                    lastAck[thread] = Math.max(lastAck[thread], Long.parseLong(parts[2]));
                    acks++;
                }
            }
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe.
            p.toHandle().destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();
            // Acks printed before the kill landed are acknowledged too; read what is left in the pipe.
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("A")) {
                    try {
                        int thread = Integer.parseInt(parts[1]);
                        lastAck[thread] = Math.max(lastAck[thread], Long.parseLong(parts[2]));
                    } catch (NumberFormatException torn) {
                        // a line cut by the kill: not a complete acknowledgement
                    }
                }
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(acks).as("acknowledged writes before the kill").isGreaterThanOrEqualTo(Math.min(killAfterAcks, 1));
        return lastAck;
    }

    private static void verifyCycle(StorageEngine engine, long firstSeq, long[] lastAck, Map<String, Long> verified) {
        List<String> problems = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            // Per slot: the newest acknowledged seq that wrote it in this cycle, if any.
            Map<Long, Long> ackedBySlot = new HashMap<>();
            for (long seq = firstSeq; seq <= lastAck[t]; seq++) {
                ackedBySlot.put(seq % KEYS_PER_THREAD, seq);
                if (seq % 10 == 0) {
                    ackedBySlot.put((seq + 1) % KEYS_PER_THREAD, seq);
                }
            }
            long inFlight = lastAck[t] < 0 ? firstSeq : lastAck[t] + 1;
            for (long slot = 0; slot < KEYS_PER_THREAD; slot++) {
                String key = "t" + t + "-" + slot;
                byte[] raw = engine.get(key.getBytes(StandardCharsets.US_ASCII));
                Long got = raw == null ? null : Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
                Long acked = ackedBySlot.get(slot);
                Long before = verified.get(key);
                boolean inFlightTouches = inFlight % KEYS_PER_THREAD == slot
                        || (inFlight % 10 == 0 && (inFlight + 1) % KEYS_PER_THREAD == slot);
                boolean ok;
                if (acked != null) {
                    ok = got != null && (got.equals(acked) || (inFlightTouches && got == inFlight));
                } else {
                    ok = java.util.Objects.equals(got, before) || (inFlightTouches && got != null && got == inFlight);
                }
                if (!ok) {
                    problems.add(key + ": got " + got + ", acknowledged " + acked + ", before " + before
                            + ", in flight " + inFlight);
                }
                if (got != null) {
                    verified.put(key, got);
                }
            }
        }
        assertThat(problems).as("acknowledged writes lost or wrong after kill -9").isEmpty();
    }
}
