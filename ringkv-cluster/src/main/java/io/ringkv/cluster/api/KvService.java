package io.ringkv.cluster.api;

/**
 * The store as the outside world sees it: Dynamo's get(key) and put(key, context, object), plus
 * versioned delete. The HTTP layer calls only this. A single node implements it over its local
 * replica; a cluster node implements it with a quorum coordinator.
 *
 * <p>Errors are typed by what the caller can do: {@link InvalidRequestException} (fix the
 * request), {@link QuorumNotMetException} (retry, perhaps with a lower R/W),
 * {@link StoreFailureException} (the node could not read or write its storage).
 */
public interface KvService {

    /** Every concurrent version of {@code key} and one context covering them all. */
    GetResult get(byte[] key, RequestOptions options);

    /**
     * Stores {@code value} as a new version that supersedes every version the {@code context}
     * covers ({@code null}: a fresh write, concurrent with whatever exists).
     */
    PutResult put(byte[] key, String context, byte[] value, RequestOptions options);

    /** Writes a versioned tombstone superseding the versions the {@code context} covers. */
    PutResult delete(byte[] key, String context, RequestOptions options);
}
