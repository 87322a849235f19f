package io.ringkv.cluster.service;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.InvalidContextException;
import io.ringkv.core.version.CausalContext;

/**
 * Validation of a {@link io.ringkv.cluster.api.KvService} request's arguments. Every failure is an
 * {@link InvalidRequestException} whose message names the bad argument, because the HTTP layer
 * shows it to the client as is.
 */
public final class RequestChecks {
    private RequestChecks() {
    }

    public static RequestOptions orDefaults(RequestOptions options) {
        return options == null ? RequestOptions.DEFAULTS : options;
    }

    public static void requireKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new InvalidRequestException("key must not be empty");
        }
    }

    /** A put's value: null is not a value (a delete is its own operation). */
    public static byte[] requireValue(byte[] value) {
        if (value == null) {
            throw new InvalidRequestException("value must not be null (use delete to remove a key)");
        }
        return value;
    }

    /**
     * The effective quorum: {@code requested}, or {@code defaultQuorum} when it is 0.
     *
     * @param name     "r" or "w", as the client spells it
     * @param replicas N; a quorum must be between 1 and N
     */
    public static int quorum(String name, int requested, int defaultQuorum, int replicas) {
        int quorum = requested == 0 ? defaultQuorum : requested;
        if (quorum < 1 || quorum > replicas) {
            throw new InvalidRequestException(name + " must be between 1 and N=" + replicas + ", got " + quorum);
        }
        return quorum;
    }

    /** The effective timeout: the request's, or {@code defaultMillis} when it is 0; never negative. */
    public static long timeoutMillis(RequestOptions options, long defaultMillis) {
        if (options.timeoutMillis() < 0) {
            throw new InvalidRequestException("timeout must not be negative, got " + options.timeoutMillis() + " ms");
        }
        return options.timeoutMillis() == 0 ? defaultMillis : options.timeoutMillis();
    }

    /** The events a client's context stands for; {@code null} (no context) is the empty set. */
    public static CausalContext decodeContext(ContextCodec contexts, String context) {
        if (context == null) {
            return CausalContext.EMPTY;
        }
        try {
            return contexts.decode(context);
        } catch (InvalidContextException e) {
            throw new InvalidRequestException("invalid context: " + e.getMessage(), e);
        }
    }
}
