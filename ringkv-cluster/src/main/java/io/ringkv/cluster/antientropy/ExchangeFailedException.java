package io.ringkv.cluster.antientropy;

/**
 * One exchange with one peer could not finish: the peer failed, did not answer in time or is
 * unreachable. The range is not repaired with that peer this round; the next round tries again.
 */
class ExchangeFailedException extends RuntimeException {
    ExchangeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
