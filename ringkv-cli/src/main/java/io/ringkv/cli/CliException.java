package io.ringkv.cli;

/**
 * A command could not do what was asked. {@link Main} prints the message as one line prefixed
 * with "ringkv: " on stderr and exits with {@link #exitCode()}; no stack trace, because the
 * message already says what went wrong and where to look.
 */
public final class CliException extends RuntimeException {
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final int exitCode;

    public CliException(String message) {
        this(message, FAILED);
    }

    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
