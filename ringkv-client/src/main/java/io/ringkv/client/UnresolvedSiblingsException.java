package io.ringkv.client;

/**
 * A read asked for one value ({@link Read#value()}) and the key has several concurrent
 * versions, with no {@link ConflictResolver} to merge them. The client never picks one silently
 * (that would lose a write). What to do: read {@link Read#values()} and write a merge with
 * {@link Read#context()}, or give the typed client a resolver.
 */
public final class UnresolvedSiblingsException extends RingkvException {
    private static final long serialVersionUID = 1L;

    private final int siblings;

    public UnresolvedSiblingsException(int siblings) {
        super(siblings + " concurrent versions and no conflict resolver: merge values() and write the merge with context()");
        this.siblings = siblings;
    }

    public int siblings() {
        return siblings;
    }
}
