package io.ringkv.storage;

import java.io.IOException;

/** The operating system refused an I/O operation (disk full, permissions, device error). */
public final class StorageIoException extends StorageException {
    public StorageIoException(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
