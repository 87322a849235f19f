package io.ringkv.storage;

import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process for {@link CrashRecoveryTest}: writes from several threads until killed,
 * printing "A thread seq" after each put returns (i.e. once it is acknowledged). Thread t
 * writes key "t{t}-{seq % keysPerThread}" with value "{seq}", so overwrites happen, and every
 * tenth write is a two-op batch so atomic batches are exercised too.
 *
 * <p>Args: dir policy(always|batch) firstSeq threads keysPerThread
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SyncPolicy policy = args[1].equals("always") ? SyncPolicy.always() : SyncPolicy.batch(2);
        long firstSeq = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        int keysPerThread = Integer.parseInt(args[4]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);
        StorageOptions options = crashOptions(dir, policy);
        StorageEngine engine = StorageEngine.open(options);
        out.println("READY");
        out.flush();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new Thread(() -> {
                for (long seq = firstSeq; ; seq++) {
                    byte[] key = key(thread, seq % keysPerThread);
                    byte[] value = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
                    if (seq % 10 == 0) {
                        engine.write(new WriteBatch().put(key, value)
                                .put(key(thread, (seq + 1) % keysPerThread), value));
                    } else {
                        engine.put(key, value);
                    }
                    synchronized (out) {
                        out.println("A " + thread + " " + seq);
                        out.flush();
                    }
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    static byte[] key(int thread, long slot) {
        return ("t" + thread + "-" + slot).getBytes(StandardCharsets.US_ASCII);
    }

    /** Small memtables, segments and thresholds, so flushes and compactions happen mid-load. */
    static StorageOptions crashOptions(Path dir, SyncPolicy policy) {
        return StorageOptions.builder(dir).syncPolicy(policy)
                .memtableFlushThresholdBytes(32 << 10)
                .commitLogSegmentBytes(16 << 10)
                .blockSizeBytes(1024)
                .maxImmutableMemtables(2)
                .compactionMinThreshold(2)
                .compactionMaxThreshold(8)
                .maxTablesBeforeStall(12)
                .build();
    }
}
