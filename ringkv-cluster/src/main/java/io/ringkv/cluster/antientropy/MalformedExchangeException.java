package io.ringkv.cluster.antientropy;

/** An anti-entropy message (ours at the peer, or the peer's here) could not be decoded. */
final class MalformedExchangeException extends ExchangeFailedException {
    MalformedExchangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
