package io.ringkv.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory of a local cluster: one {@code nodeK} subdirectory per node. The default is
 * {@code <ringkv.home>/run/cluster} when bin/ringkv sets {@code ringkv.home} (so every command
 * finds the same cluster whatever the current directory), else {@code ./run/cluster}.
 */
public record ClusterDirectory(Path root) {
    private static final Pattern NODE_DIR = Pattern.compile("node([1-9][0-9]{0,3})");

    public ClusterDirectory {
        root = root.toAbsolutePath().normalize();
    }

    public static Path defaultRoot() {
        String home = System.getProperty("ringkv.home");
        Path base = home == null || home.isBlank() ? Path.of("") : Path.of(home);
        return base.resolve("run").resolve("cluster").toAbsolutePath().normalize();
    }

    public NodeLayout node(int index) {
        return new NodeLayout(index, root.resolve("node" + index));
    }

    /** The nodes that have a config file here, in index order. */
    public List<NodeLayout> existingNodes() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<NodeLayout> nodes = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.forEach(child -> {
                Matcher m = NODE_DIR.matcher(child.getFileName().toString());
                if (m.matches() && Files.isRegularFile(child.resolve("ringkv.yaml"))) {
                    nodes.add(new NodeLayout(Integer.parseInt(m.group(1)), child));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        nodes.sort(Comparator.comparingInt(NodeLayout::index));
        return nodes;
    }
}
