package io.ringkv.storage;

/** Base of the engine's errors; each subtype says what the caller can do about it. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
