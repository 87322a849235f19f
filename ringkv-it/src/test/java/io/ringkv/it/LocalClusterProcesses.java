package io.ringkv.it;

import io.ringkv.cluster.testing.TestPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A local cluster of real node processes for tests: node K is its own JVM on 127.0.0.K with
 * free ports, its own YAML file, log and data directory under
 * {@code target/it-clusters/<cluster name>/nodeK}. It starts them, waits until every node
 * serves and every node's gossip view shows all members UP and NORMAL with tokens, and lets a
 * test kill -9, pause (SIGSTOP), resume and restart nodes. {@link #close} SIGKILLs every
 * process it started and removes their data (configs and logs stay for inspection); a JVM
 * shutdown hook ({@link ProcessReaper}) does the killing if close is never reached.
 *
 * <p>Nodes are numbered from 1, as their ids ({@code node1}) and addresses are.
 */
public final class LocalClusterProcesses implements AutoCloseable {
    static final Duration START_LIMIT = Duration.ofSeconds(60);
    static final Duration CONVERGE_LIMIT = Duration.ofSeconds(30);
    /** The node's identity file in its data directory (docs/design/membership-join.md). */
    private static final String IDENTITY_FILE = "NODE_IDENTITY";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final int LOG_TAIL_LINES = 60;

    private final ClusterSettings settings;
    private final Path dir;
    private final List<NodeSpec> nodes;
    private final NodeProcess[] processes;
    private final KvClient[] clients;
    /** Generation a node had when it was last killed: after a restart it must be seen higher. */
    private final Map<Integer, Long> generationAtKill = new HashMap<>();
    /** Nodes that are members: launched and not decommissioned (all of them unless started with fewer). */
    private final java.util.Set<Integer> members = new java.util.TreeSet<>();

    private LocalClusterProcesses(ClusterSettings settings, Path dir, List<NodeSpec> nodes) {
        this.settings = settings;
        this.dir = dir;
        this.nodes = nodes;
        this.processes = new NodeProcess[nodes.size() + 1];
        this.clients = new KvClient[nodes.size() + 1];
    }

    /** Writes the configs, starts every node and waits until the cluster has converged. */
    public static LocalClusterProcesses start(ClusterSettings settings) {
        return start(settings, settings.nodeCount());
    }

    /**
     * Writes every node's config but starts only nodes 1 to {@code running}; the others can
     * {@link #join} later (growing the cluster). Waits until those running have converged.
     */
    public static LocalClusterProcesses start(ClusterSettings settings, int running) {
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "it-clusters", settings.clusterName())
                .toAbsolutePath().normalize();
        List<String> hosts = IntStream.rangeClosed(1, settings.nodeCount()).mapToObj(NodeSpec::loopbackHost).toList();
        List<Integer> ports = TestPorts.on(Stream.concat(hosts.stream(), hosts.stream()).toList());
        List<NodeSpec> nodes = new ArrayList<>();
        for (int k = 1; k <= settings.nodeCount(); k++) {
            int httpPort = ports.get(k - 1);
            int peerPort = ports.get(settings.nodeCount() + k - 1);
            nodes.add(new NodeSpec(k, hosts.get(k - 1), httpPort, peerPort, dir.resolve("node" + k)));
        }
        LocalClusterProcesses cluster = new LocalClusterProcesses(settings, dir, List.copyOf(nodes));
        try {
            cluster.writeConfigs();
            for (NodeSpec node : nodes.subList(0, running)) {
                cluster.launch(node.index());
                cluster.members.add(node.index());
            }
            for (NodeSpec node : nodes.subList(0, running)) {
                cluster.awaitServing(node.index());
            }
            cluster.awaitConverged();
            return cluster;
        } catch (RuntimeException | Error e) {
            String logs = cluster.describe();
            cluster.close();
            throw new AssertionError("cluster " + settings.clusterName() + " did not start: " + e.getMessage() + "\n" + logs, e);
        }
    }

    /** Seeds as {@code cluster start} gives them: node1 and node2 (none for a single node). */
    private void writeConfigs() {
        List<String> seeds = nodes.size() == 1 ? List.of() : List.of(nodes.get(0).peerAddress(), nodes.get(1).peerAddress());
        try {
            for (NodeSpec node : nodes) {
                Files.createDirectories(node.dir());
                Files.writeString(node.configFile(), NodeConfigYaml.render(node, settings, seeds));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write node configs under " + dir, e);
        }
    }

    private void launch(int k) {
        processes[k] = NodeProcess.launch(node(k));
        clients[k] = new KvClient(node(k).httpBaseUrl(), Duration.ofMillis(settings.requestTimeoutMillis() + 5_000));
    }

    public ClusterSettings settings() {
        return settings;
    }

    public List<NodeSpec> nodes() {
        return nodes;
    }

    public NodeSpec node(int k) {
        if (k < 1 || k > nodes.size()) {
            throw new IllegalArgumentException("no node " + k + " in a cluster of " + nodes.size());
        }
        return nodes.get(k - 1);
    }

    /** The client of node K's current process (a new one after each restart). */
    public KvClient client(int k) {
        node(k);
        return clients[k];
    }

    public long pid(int k) {
        return processes[k].pid();
    }

    /** Alive and not paused. */
    public boolean isServing(int k) {
        return processes[k] != null && processes[k].isAlive() && !processes[k].isPaused();
    }

    /** kill -9 node K (checked: the exit status is that of SIGKILL). */
    public void kill9(int k) {
        currentGeneration(k).ifPresent(g -> generationAtKill.put(k, g));
        processes[k].kill9();
        clients[k].close();
    }

    /** SIGSTOP node K: it stays alive with its sockets open but answers nothing. */
    public void pause(int k) {
        processes[k].pause();
    }

    /** SIGCONT node K. */
    public void resume(int k) {
        processes[k].resume();
    }

    /**
     * Starts node K again (after {@link #kill9}) with the same config and data directory and
     * waits until it serves HTTP. Gossip convergence is a separate wait ({@link #awaitConverged}).
     */
    public void restart(int k) {
        if (processes[k].isAlive()) {
            throw new IllegalStateException(node(k).id() + " is still running; kill it first");
        }
        launch(k);
        awaitServing(k);
    }

    /**
     * Deletes node K's data directory (its store, commit log and identity file), as an operator
     * who replaced a failed disk would: the next {@link #restart} starts from nothing. Only while
     * the node is down.
     */
    public void wipeData(int k) {
        if (processes[k].isAlive()) {
            throw new IllegalStateException(node(k).id() + " is still running; kill it first");
        }
        Path data = node(k).dataDir();
        NodeProcess.appendToLog(node(k), "==== harness: wiped " + data + " ====");
        deleteUnder(data, f -> true);
    }

    /**
     * Deletes node K's store (data files, commit log, hints) but keeps its identity file, as after a
     * failed data disk replaced under a node whose identity lives elsewhere: it restarts NORMAL with
     * its tokens and an empty store (a node wiped whole rejoins instead, and streams its ranges).
     * Only while the node is down.
     */
    public void wipeStoreKeepingIdentity(int k) {
        if (processes[k].isAlive()) {
            throw new IllegalStateException(node(k).id() + " is still running; kill it first");
        }
        Path data = node(k).dataDir();
        NodeProcess.appendToLog(node(k), "==== harness: wiped the store in " + data + ", kept its identity ====");
        deleteUnder(data, f -> !f.equals(data) && !f.getFileName().toString().startsWith(IDENTITY_FILE));
    }

    /** Deletes {@code root} and everything below it that {@code doomed} accepts, children before their directories. */
    private static void deleteUnder(Path root, Predicate<Path> doomed) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).filter(doomed).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + f, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + root, e);
        }
    }

    /** Resumes paused nodes, restarts dead ones and waits until the cluster has converged. */
    public void restoreAll() {
        for (NodeSpec node : memberNodes()) {
            int k = node.index();
            if (processes[k].isAlive() && processes[k].isPaused()) {
                resume(k);
            } else if (!processes[k].isAlive()) {
                restart(k);
            }
        }
        awaitConverged();
    }

    /**
     * Starts one more process on a copy of node K's data directory, configured with node K's id
     * but an address of its own (127.0.0.{node count + 1}, free ports) and the same seeds: what
     * an operator gets by copying a node's directory to set up a new node. Node K is paused
     * (SIGSTOP) while its directory is copied, so the copy is a consistent snapshot, and resumed
     * at once. Does not wait for anything; the caller closes the returned process.
     */
    public CopiedNodeProcess startCopyOf(int k) {
        int index = nodes.size() + 1;
        String host = NodeSpec.loopbackHost(index);
        List<Integer> ports = TestPorts.on(List.of(host, host));
        NodeSpec spec = new NodeSpec(index, host, ports.get(0), ports.get(1), dir.resolve("copy-of-" + node(k).id()));
        List<String> seeds = List.of(nodes.get(0).peerAddress(), nodes.get(1).peerAddress());
        try {
            Files.createDirectories(spec.dir());
            pause(k);
            try {
                copyRecursively(node(k).dataDir(), spec.dataDir());
            } finally {
                resume(k);
            }
            Files.writeString(spec.configFile(), NodeConfigYaml.render(spec, node(k).id(), settings, seeds));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up a copy of " + node(k).id() + " in " + spec.dir(), e);
        }
        return new CopiedNodeProcess(spec, node(k).id(), NodeProcess.launch(spec), CopiedNodeProcess.clientFor(spec, settings));
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    /** Waits until node K answers 200 on /health; fails at once, with its log, if it exits. */
    public void awaitServing(int k) {
        NodeProcess process = processes[k];
        Await.until(START_LIMIT, node(k).id() + " to answer 200 on /health at " + node(k).httpBaseUrl(), () -> {
            if (!process.isAlive()) {
                throw new AssertionError(node(k).id() + " exited with status " + process.exitStatus().orElse(-1)
                        + " before serving; log:\n" + NodeProcess.logTail(node(k), LOG_TAIL_LINES));
            }
            return client(k).send("GET", "/health", null, PROBE_TIMEOUT).status() == 200;
        });
    }

    /**
     * Waits until every node sees every node UP and NORMAL with tokens, every node that was
     * killed and restarted with a higher generation than before the kill, and (when N is the
     * node count) every node can write to every replica.
     */
    public void awaitConverged() {
        for (NodeSpec observer : memberNodes()) {
            Await.until(CONVERGE_LIMIT, observer.id() + " to see all of " + ids() + " UP and NORMAL with tokens",
                    () -> checkConvergedView(observer.index()));
        }
        awaitEveryNodeReachesEveryReplica();
    }

    /**
     * Starts node K, not running yet, which joins the cluster: it streams the ranges it will
     * replicate, then serves them; waits until every member sees it NORMAL.
     */
    public void join(int k) {
        startJoining(k);
        awaitJoined(k);
    }

    /** Starts node K, not running yet, and returns once it serves HTTP: it is joining (streaming), not NORMAL yet. */
    public void startJoining(int k) {
        if (members.contains(k)) {
            throw new IllegalStateException(node(k).id() + " is already a member");
        }
        launch(k);
        awaitServing(k);
        members.add(k);
    }

    /** Waits until every member sees node K NORMAL (its join streamed every range). */
    public void awaitJoined(int k) {
        Await.until(Duration.ofSeconds(120), node(k).id() + " to join (stream its ranges and be NORMAL everywhere)",
                () -> memberNodes().stream().allMatch(observer -> checkConvergedView(observer.index())));
    }

    /** Appends YAML to node K's config file (before it starts): settings one test needs on one node. */
    public void appendConfig(int k, String yaml) {
        try {
            Files.writeString(node(k).configFile(), yaml.endsWith("\n") ? yaml : yaml + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + node(k).configFile(), e);
        }
    }

    /**
     * Decommissions node K through its admin API and waits until it has left the cluster and its
     * process has exited with status 0, and every remaining member sees it LEFT or no more.
     */
    public void decommission(int k) {
        Reply started = client(k).send("POST", "/api/v1/admin/decommission", null);
        if (started.status() != 202) {
            throw new IllegalStateException("decommission of " + node(k).id() + ": " + started);
        }
        NodeProcess process = processes[k];
        Await.until(Duration.ofSeconds(120), node(k).id() + " to hand its ranges over and exit", () -> !process.isAlive());
        int status = process.exitStatus().orElse(-1);
        if (status != 0) {
            throw new AssertionError(node(k).id() + " exited with status " + status + " after its decommission; log:\n"
                    + NodeProcess.logTail(node(k), LOG_TAIL_LINES));
        }
        members.remove(k);
        clients[k].close();
        awaitConverged();
    }

    /**
     * Removes dead node K from the cluster through node {@code via}'s admin API (removenode) and
     * from the harness's members; waits until every remaining member sees it LEFT or no more.
     */
    public void removeNode(int k, int via) {
        Reply removed = client(via).send("POST", "/api/v1/admin/removenode?node=" + node(k).id(), null);
        if (removed.status() != 200) {
            throw new IllegalStateException("removenode " + node(k).id() + " via " + node(via).id() + ": " + removed);
        }
        members.remove(k);
        awaitConverged();
    }

    /**
     * Starts node {@code replacement}, not running yet, with {@code replace: <dead node's id>}: it
     * takes over dead node K's tokens and streams its ranges; waits until every member sees it
     * NORMAL. K leaves the harness's members.
     */
    public void replaceNode(int dead, int replacement) {
        appendConfig(replacement, "replace: " + node(dead).id());
        members.remove(dead);
        join(replacement);
    }

    /** The nodes that are members now. */
    public List<NodeSpec> memberNodes() {
        return members.stream().map(this::node).toList();
    }

    /**
     * Gossip showing a peer UP does not prove that every node can send to it: a node whose
     * connection attempts to a dead peer failed waits out its reconnect back-off (up to 2 s,
     * docs/design/wire-protocol.md) before dialing the restarted peer again, even though that
     * peer's own gossip already reached it. When N equals the node count every node is a replica
     * of every key, so a write with w = N through node K succeeds exactly when K reaches every
     * peer; each node writes a probe key of its own until that works. (With N below the node
     * count there is no such single probe, and this wait is skipped.)
     */
    private void awaitEveryNodeReachesEveryReplica() {
        if (settings.n() != members.size()) {
            return;
        }
        for (NodeSpec node : memberNodes()) {
            long start = System.nanoTime();
            int[] attempts = {0};
            Await.until(CONVERGE_LIMIT, node.id() + " to write to all " + settings.n() + " replicas (w=N)", () -> {
                attempts[0]++;
                Reply reply = client(node.index()).put("harness-probe-" + node.id(), "probe", null, settings.n());
                if (reply.status() != 200) {
                    throw new IllegalStateException("probe write through " + node.id() + ": " + reply);
                }
                return true;
            });
            if (attempts[0] > 1) {
                NodeProcess.appendToLog(node, "==== harness: " + node.id() + " reached every replica after " + attempts[0]
                        + " probe writes (" + (System.nanoTime() - start) / 1_000_000 + " ms) ====");
            }
        }
    }

    private boolean checkConvergedView(int observer) {
        ClusterStatus view = client(observer).cluster();
        for (NodeSpec node : memberNodes()) {
            ClusterStatus.Member member = view.member(node.id())
                    .orElseThrow(() -> new IllegalStateException(view + ": " + node.id() + " missing"));
            if (!member.isServing()) {
                throw new IllegalStateException(view + ": " + member + " is not serving");
            }
            Long killedGeneration = generationAtKill.get(node.index());
            if (killedGeneration != null && member.generation() <= killedGeneration) {
                throw new IllegalStateException(view + ": " + member + " still has the generation from before the kill ("
                        + killedGeneration + ")");
            }
        }
        return true;
    }

    /** Waits until node {@code observer} sees node {@code target} with a liveness other than UP; returns it. */
    public String awaitSeenNotUp(int observer, int target, Duration limit) {
        return awaitLiveness(observer, target, liveness -> !liveness.equals("UP"), "not UP", limit);
    }

    /** Waits until node {@code observer} sees node {@code target}'s liveness (UP, SUSPECT, DOWN) match; returns it. */
    public String awaitLiveness(int observer, int target, Predicate<String> wanted, String what, Duration limit) {
        return Await.until(limit, node(observer).id() + " to see " + node(target).id() + " " + what, () -> {
            ClusterStatus.Member member = client(observer).cluster().member(node(target).id())
                    .orElseThrow(() -> new IllegalStateException(node(target).id() + " unknown to " + node(observer).id()));
            if (!wanted.test(member.liveness())) {
                throw new IllegalStateException(node(observer).id() + " sees " + member);
            }
            return Optional.of(member.liveness());
        });
    }

    /** Node K's generation as it announces itself, if it answers. */
    public Optional<Long> currentGeneration(int k) {
        try {
            return client(k).cluster().member(node(k).id()).map(ClusterStatus.Member::generation);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<String> ids() {
        return memberNodes().stream().map(NodeSpec::id).toList();
    }

    /** Each node's process state, log file and the tail of its log: printed when a test fails. */
    public String describe() {
        StringBuilder out = new StringBuilder("cluster " + settings.clusterName() + " in " + dir + "\n");
        for (NodeSpec node : nodes) {
            NodeProcess process = processes[node.index()];
            String state = process == null ? "never started"
                    : process.isAlive() ? (process.isPaused() ? "paused" : "running") + ", pid " + process.pid()
                    : "exited with status " + process.exitStatus().orElse(-1);
            out.append("---- ").append(node.id()).append(" (").append(state).append(") http ").append(node.httpBaseUrl())
                    .append(" peer ").append(node.peerAddress()).append(", log ").append(node.logFile()).append(":\n")
                    .append(NodeProcess.logTail(node, LOG_TAIL_LINES)).append('\n');
        }
        return out.toString();
    }

    /** SIGKILLs every node process and removes their data directories. */
    @Override
    public void close() {
        for (int k = 1; k < processes.length; k++) {
            if (processes[k] != null) {
                processes[k].destroy();
            }
            if (clients[k] != null) {
                clients[k].close();
            }
        }
        for (NodeSpec node : nodes) {
            deleteRecursively(node.dataDir());
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
