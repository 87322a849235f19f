package io.ringkv.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes unique keys at a rate that can be changed while it runs, through the given nodes in
 * turn, and remembers every write a node acknowledged. Bounded: at most {@code maxWrites} writes,
 * at most {@code maxInFlight} at once (a slot that finds them all busy is skipped, so a slow
 * cluster gets less load rather than a backlog), and it stops by itself after {@code maxRunTime}.
 */
final class PacedWriteLoad implements AutoCloseable {
    private final List<String> nodeUrls;
    private final long maxWrites;
    private final long deadlineNanos;
    private final Semaphore inFlight;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread pacer;
    private volatile double writesPerSecond;
    private volatile boolean stopped;

    PacedWriteLoad(List<String> nodeUrls, double writesPerSecond, long maxWrites, int maxInFlight, Duration maxRunTime) {
        this.nodeUrls = List.copyOf(nodeUrls);
        this.writesPerSecond = writesPerSecond;
        this.maxWrites = maxWrites;
        this.inFlight = new Semaphore(maxInFlight);
        this.deadlineNanos = System.nanoTime() + maxRunTime.toNanos();
        this.pacer = Thread.ofPlatform().daemon().name("paced-write-load").start(this::pace);
    }

    void setRate(double writesPerSecond) {
        this.writesPerSecond = writesPerSecond;
    }

    /** Key to value of every write a node answered 200 to. */
    Map<String, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    long attempted() {
        return attempted.get();
    }

    long failed() {
        return failed.get();
    }

    private void pace() {
        long next = System.nanoTime();
        while (!stopped && attempted.get() < maxWrites && System.nanoTime() - deadlineNanos < 0) {
            next += (long) (1e9 / writesPerSecond);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing a load: the wait is the point
                } catch (InterruptedException e) {
                    return;
                }
            } else if (wait < -1_000_000_000L) {
                next = System.nanoTime(); // far behind (the rate dropped, or a pause): do not burst to catch up
            }
            if (!inFlight.tryAcquire()) {
                continue;
            }
            long n = attempted.getAndIncrement();
            requests.execute(() -> {
                try {
                    write(n);
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    private void write(long n) {
        String key = "autoscale-" + n;
        String value = "v" + n;
        String url = nodeUrls.get((int) (n % nodeUrls.size())) + "/api/v1/put";
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                acknowledged.put(key, value);
            } else {
                failed.incrementAndGet();
            }
        } catch (Exception e) {
            failed.incrementAndGet();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        pacer.interrupt();
        pacer.join(5_000);
        requests.shutdown();
        requests.awaitTermination(10, TimeUnit.SECONDS);
    }
}
