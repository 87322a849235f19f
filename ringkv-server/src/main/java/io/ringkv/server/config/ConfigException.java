package io.ringkv.server.config;

/**
 * A configuration file that cannot be used. The message is one line that names the offending
 * key (for example {@code storage.blockSize: expected a size such as 16KiB, got "banana"}), so
 * the CLI can print it as is and exit non-zero.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
