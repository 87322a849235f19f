package io.ringkv.storage;

/** The engine was closed, or stopped itself after an unrecoverable error. */
public final class EngineClosedException extends StorageException {
    public EngineClosedException(String message) {
        super(message);
    }
}
