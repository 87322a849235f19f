package io.ringkv.cluster.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.time.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryNetworkTest {

    static final int ECHO = 1;
    static final int NEVER = 2;
    static final PeerAddress A = new PeerAddress("127.0.0.1", 7000);
    static final PeerAddress B = new PeerAddress("127.0.0.2", 7000);
    static final PeerAddress C = new PeerAddress("127.0.0.3", 7000);

    ManualScheduler scheduler;
    InMemoryNetwork network;
    Transport a;
    Transport b;
    AtomicInteger handledAtB;
    List<PeerAddress> sendersSeenAtB;

    @BeforeEach
    void setUp() {
        scheduler = new ManualScheduler();
        network = new InMemoryNetwork(scheduler, 42);
        a = started(A);
        b = started(B);
        handledAtB = new AtomicInteger();
        sendersSeenAtB = new ArrayList<>();
        b.register(ECHO, (from, payload) -> {
            handledAtB.incrementAndGet();
            sendersSeenAtB.add(from);
            return CompletableFuture.completedFuture(("echo:" + new String(payload, UTF_8)).getBytes(UTF_8));
        });
        b.register(NEVER, (from, payload) -> new CompletableFuture<>());
    }

    Transport started(PeerAddress address) {
        Transport t = network.endpoint(address);
        t.start();
        return t;
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static Throwable failureOf(CompletableFuture<byte[]> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get();
            throw new AssertionError("expected failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void requestReachesHandlerAndResponseComesBackWithSenderAddress() {
        CompletableFuture<byte[]> f = a.request(B, ECHO, bytes("hi"), 1000);
        assertThat(f).isNotDone(); // delivery is asynchronous even at zero latency
        scheduler.runUntilIdle();
        assertThat(f.join()).asString(UTF_8).isEqualTo("echo:hi");
        assertThat(sendersSeenAtB).containsExactly(A);
    }

    @Test
    void payloadIsCopiedSoSenderMutationDoesNotLeak() {
        byte[] payload = bytes("abc");
        CompletableFuture<byte[]> f = a.request(B, ECHO, payload, 1000);
        payload[0] = 'X';
        scheduler.runUntilIdle();
        assertThat(f.join()).asString(UTF_8).isEqualTo("echo:abc");
    }

    @Test
    void latencyDelaysEachDirection() {
        network.latencyMillis(10, 10);
        CompletableFuture<byte[]> f = a.request(B, ECHO, bytes("x"), 1000);
        scheduler.advanceMillis(19);
        assertThat(f).isNotDone();
        assertThat(handledAtB).hasValue(1);
        scheduler.advanceMillis(1);
        assertThat(f).isCompleted();
    }

    @Test
    void handlerThatNeverAnswersTimesOutAtTheDeadline() {
        CompletableFuture<byte[]> f = a.request(B, NEVER, bytes("x"), 500);
        scheduler.advanceMillis(499);
        assertThat(f).isNotDone();
        scheduler.advanceMillis(1);
        assertThat(failureOf(f)).isInstanceOf(TransportTimeoutException.class);
    }

    @Test
    void unknownMessageTypeAndFailingHandlerGiveRemoteHandlerException() {
        b.register(3, (from, payload) -> CompletableFuture.failedFuture(new IllegalStateException("disk full")));
        b.register(4, (from, payload) -> {
            throw new IllegalArgumentException("bad payload");
        });
        CompletableFuture<byte[]> unknown = a.request(B, 99, bytes("x"), 1000);
        CompletableFuture<byte[]> failed = a.request(B, 3, bytes("x"), 1000);
        CompletableFuture<byte[]> threw = a.request(B, 4, bytes("x"), 1000);
        scheduler.runUntilIdle();
        assertThat(failureOf(unknown)).isInstanceOf(RemoteHandlerException.class).hasMessageContaining("99");
        assertThat(failureOf(failed)).isInstanceOf(RemoteHandlerException.class).hasMessage("disk full");
        assertThat(failureOf(threw)).isInstanceOf(RemoteHandlerException.class).hasMessage("bad payload");
    }

    @Test
    void noListenerMeansPeerUnavailableQuickly() {
        CompletableFuture<byte[]> f = a.request(C, ECHO, bytes("x"), 1000);
        scheduler.runUntilIdle();
        assertThat(failureOf(f)).isInstanceOf(PeerUnavailableException.class).hasMessageContaining(C.toString());
    }

    @Test
    void partitionDropsMessagesSoCallersTimeOutAndHealRestoresTraffic() {
        network.partition(A, B);
        CompletableFuture<byte[]> cut = a.request(B, ECHO, bytes("x"), 100);
        scheduler.advanceMillis(100);
        assertThat(failureOf(cut)).isInstanceOf(TransportTimeoutException.class);
        assertThat(handledAtB).hasValue(0);

        network.heal(A, B);
        CompletableFuture<byte[]> healed = a.request(B, ECHO, bytes("y"), 100);
        scheduler.runUntilIdle();
        assertThat(healed.join()).asString(UTF_8).isEqualTo("echo:y");
    }

    @Test
    void oneWayPartitionLetsTheRequestInButLosesTheResponse() {
        network.partitionOneWay(B, A);
        CompletableFuture<byte[]> f = a.request(B, ECHO, bytes("x"), 100);
        scheduler.advanceMillis(100);
        assertThat(handledAtB).hasValue(1);
        assertThat(failureOf(f)).isInstanceOf(TransportTimeoutException.class);
    }

    @Test
    void partitionStartingWhileMessageIsInFlightLosesIt() {
        network.latencyMillis(50, 50);
        CompletableFuture<byte[]> f = a.request(B, ECHO, bytes("x"), 200);
        scheduler.advanceMillis(10);
        network.partition(A, B);
        scheduler.advanceMillis(200);
        assertThat(handledAtB).hasValue(0);
        assertThat(failureOf(f)).isInstanceOf(TransportTimeoutException.class);
    }

    @Test
    void pausedNodeQueuesRequestsAndAnswersAfterResume() {
        network.pause(B);
        CompletableFuture<byte[]> f = a.request(B, ECHO, bytes("x"), 1000);
        scheduler.advanceMillis(500);
        assertThat(handledAtB).hasValue(0);
        assertThat(f).isNotDone();

        network.resume(B);
        scheduler.runUntilIdle();
        assertThat(f.join()).asString(UTF_8).isEqualTo("echo:x");
    }

    @Test
    void pausedNodeHoldsResponsesItsHandlersCompleteMeanwhile() {
        CompletableFuture<byte[]> slow = new CompletableFuture<>();
        b.register(5, (from, payload) -> slow);
        CompletableFuture<byte[]> f = a.request(B, 5, bytes("x"), 1000);
        scheduler.runUntilIdle();
        network.pause(B);
        slow.complete(bytes("late"));
        scheduler.advanceMillis(100);
        assertThat(f).isNotDone();
        network.resume(B);
        scheduler.runUntilIdle();
        assertThat(f.join()).asString(UTF_8).isEqualTo("late");
    }

    @Test
    void requestsExpiredWhileQueuedAtAPausedNodeAreNotExecuted() {
        network.pause(B);
        CompletableFuture<byte[]> f = a.request(B, ECHO, bytes("x"), 100);
        scheduler.advanceMillis(200);
        assertThat(failureOf(f)).isInstanceOf(TransportTimeoutException.class);
        network.resume(B);
        scheduler.runUntilIdle();
        assertThat(handledAtB).hasValue(0);
        assertThat(network.expiredDropped()).isEqualTo(1);
    }

    @Test
    void dropProbabilityIsReproducibleFromTheSeed() {
        assertThat(successesWithDrops(7)).isEqualTo(successesWithDrops(7));
        int successes = successesWithDrops(7);
        // p(request and response both survive) = 0.25; 200 tries land far from 0 and 200
        assertThat(successes).isBetween(20, 90);
    }

    private static int successesWithDrops(long seed) {
        ManualScheduler s = new ManualScheduler();
        InMemoryNetwork n = new InMemoryNetwork(s, seed);
        Transport x = n.endpoint(A);
        Transport y = n.endpoint(B);
        x.start();
        y.start();
        y.register(ECHO, (from, payload) -> CompletableFuture.completedFuture(payload));
        n.dropProbability(0.5);
        List<CompletableFuture<byte[]>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(x.request(B, ECHO, bytes("m" + i), 50));
        }
        s.advanceMillis(50);
        return (int) all.stream().filter(f -> !f.isCompletedExceptionally()).count();
    }

    @Test
    void closeFailsOutstandingRequestsAndRestartedNodeServesAgain() {
        CompletableFuture<byte[]> pending = a.request(B, NEVER, bytes("x"), 1000);
        scheduler.runUntilIdle();
        a.close();
        assertThat(failureOf(pending)).isInstanceOf(TransportException.class).hasMessageContaining("closed");
        assertThat(failureOf(a.request(B, ECHO, bytes("x"), 1000))).isInstanceOf(TransportException.class);

        b.close();
        Transport a2 = started(A);
        CompletableFuture<byte[]> toDown = a2.request(B, ECHO, bytes("x"), 1000);
        scheduler.runUntilIdle();
        assertThat(failureOf(toDown)).isInstanceOf(PeerUnavailableException.class);

        Transport b2 = started(B);
        b2.register(ECHO, (from, payload) -> CompletableFuture.completedFuture(bytes("again")));
        CompletableFuture<byte[]> afterRestart = a2.request(B, ECHO, bytes("x"), 1000);
        scheduler.runUntilIdle();
        assertThat(afterRestart.join()).asString(UTF_8).isEqualTo("again");
    }

    @Test
    void badArgumentsAreRejectedWithSpecificMessages() {
        assertThatThrownBy(() -> a.request(B, ECHO, bytes("x"), 0)).hasMessageContaining("timeoutMillis");
        assertThatThrownBy(() -> network.dropProbability(1.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> network.latencyMillis(5, 1)).hasMessageContaining("minMillis");
        assertThatThrownBy(() -> network.endpoint(A)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> b.register(ECHO, (f, p) -> null)).hasMessageContaining("already registered");
    }

    @Test
    void manualSchedulerRunsTasksInDueOrderThenSchedulingOrder() {
        ManualScheduler s = new ManualScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(5, () -> ran.add("t5-first"));
        s.schedule(1, () -> ran.add("t1"));
        s.schedule(5, () -> ran.add("t5-second"));
        s.schedule(9, () -> ran.add("t9"));
        assertThat(s.advanceMillis(5)).isEqualTo(3);
        assertThat(ran).containsExactly("t1", "t5-first", "t5-second");
        assertThat(s.nowMillis()).isEqualTo(5);
        assertThat(s.runNext()).isTrue();
        assertThat(s.nowMillis()).isEqualTo(9);
        assertThat(s.runNext()).isFalse();
    }
}
