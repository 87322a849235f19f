package io.ringkv.client;

/** A {@link Codec} could not turn a value into bytes or a stored value back into a value: the data and the codec disagree. */
public final class CodecException extends RingkvException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
