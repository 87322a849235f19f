package io.ringkv.cluster.transport;

import io.ringkv.cluster.time.Scheduler;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The simulated twin of the inter-node network: {@link Transport} endpoints that exchange
 * messages in memory, with faults a test can switch on.
 *
 * <p>Why: every source of nondeterminism needs a simulated twin (TigerBeetle's VOPR, FoundationDB's
 * simulation), so a whole cluster can run from one seed and a failure replays. Delivery goes
 * through an injected {@link Scheduler}; with a {@link io.ringkv.cluster.time.ManualScheduler} a run is single-threaded
 * and fully determined by the seed and the test's actions. Randomness (drops, latency jitter)
 * comes only from a {@code Random} seeded in the constructor.
 *
 * <p>Faults, chosen to match what the real cluster tests do to real processes:
 * <ul>
 *   <li>{@link #partition}: messages between two nodes vanish, like a firewall DROP rule; the
 *       caller sees a {@link TransportTimeoutException}, not a quick refusal.</li>
 *   <li>{@link #dropProbability}: each message (request or response) is lost with this probability.</li>
 *   <li>{@link #latencyMillis}: each message takes a delay drawn uniformly from a range.</li>
 *   <li>{@link #pause}: SIGSTOP. The node's inbound messages queue, its handlers do not run, and
 *       nothing it sends (requests, or responses completed meanwhile) leaves until {@link #resume};
 *       requests whose deadline passed while queued are then dropped, as the real transport does.</li>
 * </ul>
 * A request to an address where no endpoint is started fails with {@link PeerUnavailableException}
 * after one network delay (connection refused). Semantics mirror docs/design/wire-protocol.md:
 * an unknown message type or a failed handler gives {@link RemoteHandlerException}.
 */
public final class InMemoryNetwork {

    /** Bound on messages held for one paused node (each direction); beyond it they are dropped. */
    public static final int MAX_QUEUED_PER_NODE = 100_000;

    /** One message in flight: a request, or the outcome travelling back to its caller. */
    sealed interface Message permits Request, Response {
        PeerAddress from();

        PeerAddress to();
    }

    record Request(PeerAddress from, PeerAddress to, int messageType, byte[] payload, long deadlineMillis,
                   CompletableFuture<byte[]> caller) implements Message {}

    /** Exactly one of payload and failure is non-null. */
    record Response(PeerAddress from, PeerAddress to, byte[] payload, TransportException failure,
                    CompletableFuture<byte[]> caller) implements Message {}

    private final Scheduler scheduler;
    private final Random random;
    private final Map<PeerAddress, InMemoryTransport> endpoints = new HashMap<>();
    private final Set<List<PeerAddress>> cutLinks = new HashSet<>();
    private final Map<PeerAddress, ArrayDeque<Message>> pausedInbox = new HashMap<>();
    private final Map<PeerAddress, ArrayDeque<Message>> pausedOutbox = new HashMap<>();
    private double dropProbability;
    private long minLatencyMillis;
    private long maxLatencyMillis;
    private long messagesDelivered;
    private long messagesLost;
    private long expiredDropped;

    public InMemoryNetwork(Scheduler scheduler, long seed) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = new Random(seed);
    }

    /**
     * Creates the endpoint for {@code address}. Creating one where a closed endpoint was models a
     * node restart; creating one where an open endpoint is fails.
     */
    public synchronized Transport endpoint(PeerAddress address) {
        Objects.requireNonNull(address, "address");
        InMemoryTransport existing = endpoints.get(address);
        if (existing != null && !existing.isClosed()) {
            throw new IllegalStateException("an open endpoint already exists at " + address);
        }
        InMemoryTransport endpoint = new InMemoryTransport(this, address);
        endpoints.put(address, endpoint);
        return endpoint;
    }

    /** Cuts both directions between {@code a} and {@code b}. */
    public synchronized void partition(PeerAddress a, PeerAddress b) {
        cutLinks.add(List.of(a, b));
        cutLinks.add(List.of(b, a));
    }

    /** Cuts only messages travelling from {@code from} to {@code to} (an asymmetric partition). */
    public synchronized void partitionOneWay(PeerAddress from, PeerAddress to) {
        cutLinks.add(List.of(from, to));
    }

    /** Restores both directions between {@code a} and {@code b}. */
    public synchronized void heal(PeerAddress a, PeerAddress b) {
        cutLinks.remove(List.of(a, b));
        cutLinks.remove(List.of(b, a));
    }

    public synchronized void healAll() {
        cutLinks.clear();
    }

    /** Each message is lost independently with this probability, drawn from the seeded random. */
    public synchronized void dropProbability(double probability) {
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("drop probability must be within [0, 1], was " + probability);
        }
        this.dropProbability = probability;
    }

    /** Each message is delayed by a uniformly drawn {@code [minMillis, maxMillis]}. Default 0. */
    public synchronized void latencyMillis(long minMillis, long maxMillis) {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 0 <= minMillis <= maxMillis, got " + minMillis + ".." + maxMillis);
        }
        this.minLatencyMillis = minMillis;
        this.maxLatencyMillis = maxMillis;
    }

    /** SIGSTOP for {@code node}: see the class comment. */
    public synchronized void pause(PeerAddress node) {
        pausedInbox.putIfAbsent(node, new ArrayDeque<>());
        pausedOutbox.putIfAbsent(node, new ArrayDeque<>());
    }

    /** SIGCONT: sends what the node had queued to send, then processes what queued for it, in order. */
    public void resume(PeerAddress node) {
        ArrayDeque<Message> outbox;
        ArrayDeque<Message> inbox;
        synchronized (this) {
            outbox = pausedOutbox.remove(node);
            inbox = pausedInbox.remove(node);
        }
        if (outbox == null) {
            return;
        }
        outbox.forEach(this::transmit);
        inbox.forEach(message -> scheduler.schedule(0, () -> arrive(message)));
    }

    public synchronized boolean isPaused(PeerAddress node) {
        return pausedInbox.containsKey(node);
    }

    /** Messages handed to an endpoint (requests to handlers, outcomes to callers). */
    public synchronized long messagesDelivered() {
        return messagesDelivered;
    }

    /** Messages lost to partitions, random drops, or full pause queues. */
    public synchronized long messagesLost() {
        return messagesLost;
    }

    /** Requests a receiver dropped because their deadline had passed before the handler could run. */
    public synchronized long expiredDropped() {
        return expiredDropped;
    }

    long nowMillis() {
        return scheduler.nowMillis();
    }

    void scheduleTimeout(long delayMillis, Runnable task) {
        scheduler.schedule(delayMillis, task);
    }

    /** Puts a message on the wire: held if the sender is paused, else lost or delayed by the faults. */
    void transmit(Message message) {
        long delayMillis;
        synchronized (this) {
            ArrayDeque<Message> outbox = pausedOutbox.get(message.from());
            if (outbox != null) {
                enqueueBounded(outbox, message);
                return;
            }
            if (cutLinks.contains(List.of(message.from(), message.to()))
                    || (dropProbability > 0 && random.nextDouble() < dropProbability)) {
                messagesLost++;
                return;
            }
            delayMillis = maxLatencyMillis == minLatencyMillis
                    ? minLatencyMillis
                    : minLatencyMillis + random.nextLong(maxLatencyMillis - minLatencyMillis + 1);
        }
        scheduler.schedule(delayMillis, () -> arrive(message));
    }

    /** The message reaches its destination host. */
    private void arrive(Message message) {
        Arrival arrival = acceptAt(message);
        if (arrival == Arrival.HELD) {
            return;
        }
        InMemoryTransport target = arrival.target();
        switch (message) {
            case Request request when target == null -> request.caller().completeExceptionally(
                    new NotDeliveredException("no node is listening at " + request.to(), null));
            case Request request -> dispatch(target, request);
            case Response response when target == null -> {
                // The caller's endpoint is gone; close() already failed its requests.
            }
            case Response response -> complete(response);
        }
    }

    /** Where an arriving message goes: an open endpoint, nowhere (target null), or held back. */
    private record Arrival(InMemoryTransport target) {
        static final Arrival HELD = new Arrival(null); // compared by identity, not equals
        static final Arrival NO_LISTENER = new Arrival(null);
    }

    private synchronized Arrival acceptAt(Message message) {
        if (cutLinks.contains(List.of(message.from(), message.to()))) {
            messagesLost++; // the partition began while the message was in flight
            return Arrival.HELD;
        }
        ArrayDeque<Message> inbox = pausedInbox.get(message.to());
        if (inbox != null) {
            enqueueBounded(inbox, message);
            return Arrival.HELD;
        }
        InMemoryTransport target = endpoints.get(message.to());
        if (target == null || !target.isOpen()) {
            return Arrival.NO_LISTENER;
        }
        messagesDelivered++;
        return new Arrival(target);
    }

    private void dispatch(InMemoryTransport target, Request request) {
        if (nowMillis() >= request.deadlineMillis()) {
            synchronized (this) {
                expiredDropped++;
            }
            return;
        }
        Transport.RequestHandler handler = target.handler(request.messageType());
        if (handler == null) {
            reply(request, null, new RemoteHandlerException(
                    "no handler for message type " + request.messageType() + " at " + request.to()));
            return;
        }
        CompletableFuture<byte[]> outcome;
        try {
            outcome = Objects.requireNonNull(handler.handle(request.from(), request.payload().clone()),
                    "handler returned null instead of a future");
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((payload, error) -> {
            if (error != null) {
                reply(request, null, new RemoteHandlerException(describe(error)));
            } else if (payload == null) {
                reply(request, null, new RemoteHandlerException("handler completed with null payload"));
            } else {
                reply(request, payload.clone(), null);
            }
        });
    }

    private void reply(Request request, byte[] payload, TransportException failure) {
        synchronized (this) {
            InMemoryTransport responder = endpoints.get(request.to());
            if (responder == null || !responder.isOpen()) {
                messagesLost++; // the node closed while its handler ran
                return;
            }
        }
        transmit(new Response(request.to(), request.from(), payload, failure, request.caller()));
    }

    private static void complete(Response response) {
        if (response.failure() != null) {
            response.caller().completeExceptionally(response.failure());
        } else {
            response.caller().complete(response.payload());
        }
    }

    private void enqueueBounded(ArrayDeque<Message> queue, Message message) {
        if (queue.size() >= MAX_QUEUED_PER_NODE) {
            messagesLost++;
        } else {
            queue.addLast(message);
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    }
}
