package io.ringkv.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The {@code cluster.secret} of a local cluster: 128 random bits in {@code <cluster dir>/cluster.secret},
 * made on the first {@code cluster start} and written into every node's config, so that the
 * nodes authenticate clients' contexts under one key nobody else knows
 * (docs/design/versioning.md, "Context encoding"). Readable by its owner only.
 */
public final class ClusterSecret {
    static final String FILE = "cluster.secret";

    private ClusterSecret() {
    }

    /** The cluster's secret, made now if there is none yet. */
    public static String readOrCreate(ClusterDirectory cluster) {
        Path file = cluster.root().resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(cluster.root());
                byte[] bits = new byte[16];
                new SecureRandom().nextBytes(bits);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, HexFormat.of().formatHex(bits) + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // another start made it first: use theirs
                }
            }
            String secret = Files.readString(file).strip();
            if (secret.length() < 16) {
                throw new IllegalStateException(file + " holds " + secret.length() + " characters; a cluster secret needs"
                        + " at least 16 (delete the file to make a new one, then the nodes' cluster.secret lines)");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
