package io.ringkv.client;

import java.util.List;

/**
 * What a read returns (Dynamo §4.1, get): every concurrent version of the key (more than one
 * after concurrent writes: siblings) and one opaque context covering all of them. Write the
 * merged value with that context and it supersedes every version listed.
 *
 * <p>An absent key has no versions; its context is empty, or, if the key was deleted, the
 * tombstone's context (write with it to supersede the delete).
 *
 * @param versions every live version, in the server's order; empty when the key is absent
 * @param context  the context to pass to the next write of this key; "" when there is none
 */
public record Versions(List<Version> versions, String context) {
    public Versions {
        versions = List.copyOf(versions);
        context = context == null ? "" : context;
    }

    static Versions absent(String context) {
        return new Versions(List.of(), context);
    }

    /** Whether the key has no live value. */
    public boolean isEmpty() {
        return versions.isEmpty();
    }

    /** Whether there are several concurrent versions, which the application should merge. */
    public boolean hasSiblings() {
        return versions.size() > 1;
    }

    /** The bytes of every version, in order. */
    public List<byte[]> values() {
        return versions.stream().map(Version::value).toList();
    }
}
