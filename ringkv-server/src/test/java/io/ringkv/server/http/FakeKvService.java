package io.ringkv.server.http;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny in-memory KvService for protocol tests: versions have ids, a context is "c:" plus the
 * covered ids, a put supersedes the versions its context covers and otherwise adds a sibling.
 * It can be told to fail or to block, and counts the calls it received.
 */
final class FakeKvService implements KvService {
    private record Version(long id, byte[] value) {
    }

    private final Map<ByteBuffer, List<Version>> data = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Set<Long>> seen = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    final AtomicInteger calls = new AtomicInteger();
    volatile KvException failWith;
    volatile CountDownLatch blockUntil;
    volatile RequestOptions lastOptions;

    /** Runs each call on its own virtual thread, as a real service runs its blocking work: {@link #blockUntil} may hold it. */
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    public CompletableFuture<GetResult> getAsync(byte[] key, RequestOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            enter(options);
            return read(key);
        }, threads);
    }

    private synchronized GetResult read(byte[] key) {
        List<Version> versions = data.getOrDefault(ByteBuffer.wrap(key), List.of());
        Set<Long> covered = seen.get(ByteBuffer.wrap(key));
        return new GetResult(versions.stream().map(Version::value).toList(), covered == null ? null : context(covered));
    }

    @Override
    public CompletableFuture<PutResult> putAsync(byte[] key, String context, byte[] value, RequestOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            enter(options);
            return write(key, context, value);
        }, threads);
    }

    @Override
    public CompletableFuture<PutResult> deleteAsync(byte[] key, String context, RequestOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            enter(options);
            return write(key, context, null);
        }, threads);
    }

    int storedKeys() {
        return data.size() + (int) seen.keySet().stream().filter(k -> !data.containsKey(k)).count();
    }

    private synchronized PutResult write(byte[] key, String context, byte[] value) {
        Set<Long> supersedes = parse(context);
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        List<Version> kept = new ArrayList<>(data.getOrDefault(k, List.of()).stream().filter(v -> !supersedes.contains(v.id())).toList());
        long id = ids.incrementAndGet();
        if (value != null) {
            kept.add(new Version(id, value.clone()));
        }
        if (kept.isEmpty()) {
            data.remove(k);
        } else {
            data.put(k, kept);
        }
        seen.computeIfAbsent(k, x -> new HashSet<>()).add(id);
        Set<Long> mine = new HashSet<>(supersedes);
        mine.add(id);
        return new PutResult(context(mine), 1, 0);
    }

    private void enter(RequestOptions options) {
        lastOptions = options;
        calls.incrementAndGet();
        CountDownLatch latch = blockUntil;
        if (latch != null) {
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        KvException failure = failWith;
        if (failure != null) {
            throw failure;
        }
    }

    private static String context(Set<Long> ids) {
        return "c:" + String.join(".", ids.stream().sorted().map(String::valueOf).toList());
    }

    private static Set<Long> parse(String context) {
        if (context == null) {
            return Set.of();
        }
        if (!context.startsWith("c:")) {
            throw new InvalidRequestException("unreadable context");
        }
        Set<Long> out = new HashSet<>();
        for (String part : context.substring(2).split("\\.")) {
            try {
                out.add(Long.parseLong(part));
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("unreadable context");
            }
        }
        return out;
    }
}
