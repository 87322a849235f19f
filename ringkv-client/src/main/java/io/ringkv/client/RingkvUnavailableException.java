package io.ringkv.client;

import java.util.List;

/**
 * No node could serve the request: every node was tried once and each failed at the
 * connection level (refused, reset, timed out, or answered something that is not HTTP). Each
 * node's failure is a suppressed exception and a line of the message.
 */
public final class RingkvUnavailableException extends RingkvException {
    private static final long serialVersionUID = 1L;

    private final List<String> failures;

    public RingkvUnavailableException(List<String> failures) {
        super("no ringkv node could serve the request: " + String.join("; ", failures));
        this.failures = List.copyOf(failures);
    }

    /** One line per node tried, in order: "{@code http://host:port: what went wrong}". */
    public List<String> failures() {
        return failures;
    }
}
