package io.ringkv.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringkv.transport.TransportStats;
import java.util.function.ToDoubleFunction;

/**
 * The inter-node transport's counters ({@link TransportStats}) as Micrometer counters read at
 * scrape time. Names start with {@code ringkv.transport.}.
 */
public final class TransportMetrics {
    private TransportMetrics() {
    }

    public static void bind(MeterRegistry registry, TransportStats stats) {
        counter(registry, stats, "frames.received", s -> s.framesIn(), "well-formed frames received");
        counter(registry, stats, "frames.sent", s -> s.framesOut(), "frames sent");
        counter(registry, stats, "received.bytes", s -> s.bytesIn(), "bytes of frames received");
        counter(registry, stats, "sent.bytes", s -> s.bytesOut(), "bytes of frames sent");
        counter(registry, stats, "protocol.violations", s -> s.protocolViolations(),
                "connections closed because the peer broke the protocol (bad magic, checksum, length...)");
        counter(registry, stats, "request.timeouts", s -> s.timeouts(), "requests sent that got no response in time");
        counter(registry, stats, "rejected.busy", s -> s.rejectedBusy(),
                "requests failed fast because a peer's in-flight limit or write buffer was full");
        counter(registry, stats, "connect.failures", s -> s.connectFailures(), "failed outgoing connection attempts");
        counter(registry, stats, "connections.opened", s -> s.connectionsOpened(), "outgoing connections established");
        counter(registry, stats, "error.responses.sent", s -> s.errorResponsesSent(), "error responses sent to peers");
        counter(registry, stats, "error.responses.received", s -> s.errorResponsesReceived(), "error responses received from peers");
        counter(registry, stats, "expired.dropped", s -> s.expiredDropped(),
                "received requests dropped because their deadline had passed");
        counter(registry, stats, "late.responses", s -> s.lateResponses(), "responses that arrived after their request timed out");
    }

    private static void counter(MeterRegistry registry, TransportStats stats, String name,
                                ToDoubleFunction<TransportStats> value, String description) {
        FunctionCounter.builder("ringkv.transport." + name, stats, value).description(description).register(registry);
    }
}
