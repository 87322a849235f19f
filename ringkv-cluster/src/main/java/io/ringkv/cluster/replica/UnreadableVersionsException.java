package io.ringkv.cluster.replica;

import io.ringkv.storage.StorageException;

/**
 * A stored value passed the engine's checksums but is not a readable sibling set: a bug or a
 * format this node does not know. It is a storage failure for the caller (never served as data).
 */
public final class UnreadableVersionsException extends StorageException {
    public UnreadableVersionsException(String message, Throwable cause) {
        super(message, cause);
    }
}
