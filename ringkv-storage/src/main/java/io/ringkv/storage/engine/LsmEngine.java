package io.ringkv.storage.engine;

import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;

/** The LSM engine (being written). */
public final class LsmEngine {
    private LsmEngine() {
    }

    public static StorageEngine open(StorageOptions options) {
        throw new UnsupportedOperationException("the LSM engine is being written");
    }
}
