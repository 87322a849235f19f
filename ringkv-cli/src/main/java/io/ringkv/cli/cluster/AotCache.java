package io.ringkv.cli.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A local node's ahead-of-time cache (JDK 25: JEP 483 class loading and linking, JEP 514
 * one-step creation, JEP 515 method profiles). A node started with {@code RINGKV_AOT=record}
 * records one ({@code -XX:AOTCacheOutput}), written when it stops cleanly; later starts use it
 * ({@code -XX:AOTCache}), so the JVM starts with its classes loaded and linked and the JIT
 * compiles the hot methods at once from the recorded profiles instead of first interpreting and
 * profiling them.
 *
 * <p>Why: on the 2-core machine the three nodes' C2 compilers took 25-50 % of the CPU for the first
 * minute or two of load, which slowed that phase by a third and lengthened its tail
 * (docs/performance-notes.md, "YCSB"). Recording is explicit because the cache keeps the profile of the
 * run that recorded it: a cache recorded by an idle node is valid but no faster. A cache is only
 * valid for the JVM, the JVM options and the jars that made it: a fingerprint of the three is kept
 * beside it, and a cache whose fingerprint differs is deleted. A JVM that still cannot use one runs
 * without it (the default {@code -XX:AOTMode=auto}).
 */
public final class AotCache {
    /**
     * Unset: use a node's cache when it has a valid one; {@code record}: record a new one (replacing
     * any); {@code off}: neither.
     */
    public static final String SWITCH_ENV = "RINGKV_AOT";
    /** The first JDK with one-step cache creation and method profiles. */
    static final int FIRST_JDK = 25;

    private AotCache() {
    }

    /**
     * The JVM options that record or use {@code node}'s cache: none when the JDK is older than 25,
     * when {@code RINGKV_AOT=off}, when the node's other options ({@code nodeOptions}) already set
     * an AOT flag, or when the classpath holds a directory (a cache covers classes from jars only: a
     * build's {@code target/classes}, as in tests, is run without one).
     */
    public static List<String> jvmOptions(NodeLayout node, List<String> nodeOptions) {
        String classPath = NodeProcess.absoluteClassPath();
        if (Runtime.version().feature() < FIRST_JDK || "off".equalsIgnoreCase(System.getenv(SWITCH_ENV))
                || nodeOptions.stream().anyMatch(o -> o.startsWith("-XX:AOT")) || hasDirectory(classPath)) {
            return List.of();
        }
        String fingerprint = fingerprint(System.getProperty("java.home"), Runtime.version().toString(), classPath,
                nodeOptions);
        return optionsFor(node, fingerprint, "record".equalsIgnoreCase(System.getenv(SWITCH_ENV)));
    }

    private static boolean hasDirectory(String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.endsWith("*") && Files.isDirectory(Path.of(entry))) {
                return true;
            }
        }
        return false;
    }

    /**
     * With {@code record}, record a cache (deleting the old one); otherwise use the cache when this
     * fingerprint made it, and delete it when another did.
     */
    static List<String> optionsFor(NodeLayout node, String fingerprint, boolean record) {
        Path cache = node.aotCache();
        Path madeBy = fingerprintFile(cache);
        try {
            if (record) {
                Files.deleteIfExists(cache);
                Files.writeString(madeBy, fingerprint + "\n");
                return List.of("-XX:AOTCacheOutput=" + cache);
            }
            if (Files.exists(cache) && Files.exists(madeBy) && Files.readString(madeBy).strip().equals(fingerprint)) {
                return List.of("-XX:AOTCache=" + cache);
            }
            Files.deleteIfExists(cache); // made by other jars or another JVM: useless, and 40 MB
        } catch (IOException e) {
            // a cache is an optimisation: without one the node starts as usual
        }
        return List.of();
    }

    private static Path fingerprintFile(Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".fingerprint");
    }

    /**
     * A digest of the JVM, of the node's other JVM options (some, such as the heap size or the
     * collector, must match for the JVM to map a cache at all) and of every jar on the classpath
     * (path, size, modification time).
     */
    static String fingerprint(String javaHome, String javaVersion, String classPath, List<String> jvmOptions) {
        StringBuilder text = new StringBuilder(javaHome).append('\n').append(javaVersion).append('\n');
        text.append(String.join(" ", jvmOptions)).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            List<Path> jars = entry.endsWith("*")
                    ? jarsIn(Path.of(entry.substring(0, entry.length() - 1)))
                    : List.of(Path.of(entry));
            for (Path jar : jars) {
                text.append(jar).append(' ');
                try {
                    text.append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis());
                } catch (IOException e) {
                    text.append("missing");
                }
                text.append('\n');
            }
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static List<Path> jarsIn(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
