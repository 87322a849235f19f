package io.ringkv.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts the inter-node traffic between chosen pairs of nodes of a local cluster with iptables
 * DROP rules: packets vanish silently, as in a real partition, so senders see timeouts rather
 * than refused connections, and established connections stay open (TCP retransmits what was
 * queued once the cut heals).
 *
 * <p><b>What a rule matches.</b> Node K listens on 127.0.0.K:peerPort and dials its peers from
 * 127.0.0.K (docs/design/wire-protocol.md, "Connections"), so every inter-node packet between
 * nodes A and B has source and destination in {A, B} and one end on a peer port. HTTP from the
 * test also leaves from 127.0.0.1 (the kernel's source for loopback destinations) towards
 * 127.0.0.K, so the addresses alone would cut the test's requests to node 2 along with node 1's
 * peer traffic; each rule therefore also names the peer port. Cutting A and B takes four rules:
 * A's connection to B (A to B's port, B's port back to A) and B's connection to A likewise.
 *
 * <p><b>Never touching other rules.</b> Every rule goes into a chain of this JVM's own,
 * {@code RINGKV_IT_<pid>}, jumped to from the top of INPUT. {@link #close} removes the hook and the chain; a
 * shutdown hook does it if close is never reached, and {@link #install} first removes chains
 * left behind by test JVMs that died without running theirs (kill -9), since their rules name
 * ports a later cluster may be given.
 */
final class NetworkPartition implements AutoCloseable {
    private static final String CHAIN_PREFIX = "RINGKV_IT_";
    /** Loopback packets pass OUTPUT and then INPUT: hooking INPUT alone sees both directions. */
    private static final String HOOK = "INPUT";

    private final LocalClusterProcesses cluster;
    private final String chain;
    private final Thread shutdownHook;
    private final List<String> cuts = new ArrayList<>();
    private boolean closed;

    private NetworkPartition(LocalClusterProcesses cluster, String chain) {
        this.cluster = cluster;
        this.chain = chain;
        this.shutdownHook = new Thread(this::removeChain, "ringkv-it-firewall-cleanup");
    }

    /** Creates this JVM's empty chain and hooks it into INPUT. Needs {@link Iptables#unavailableReason} empty. */
    static NetworkPartition install(LocalClusterProcesses cluster) {
        removeChainsOfDeadJvms();
        NetworkPartition partition = new NetworkPartition(cluster, CHAIN_PREFIX + ProcessHandle.current().pid());
        if (chainExists(partition.chain)) {
            // An earlier instance in this JVM that failed half-way: start clean.
            removeChain(partition.chain);
        }
        Runtime.getRuntime().addShutdownHook(partition.shutdownHook);
        Iptables.run("-N", partition.chain);
        Iptables.run("-I", HOOK, "1", "-j", partition.chain);
        return partition;
    }

    /** Drops every inter-node packet between nodes {@code a} and {@code b}, both directions. */
    void cut(int a, int b) {
        if (a == b) {
            throw new IllegalArgumentException("cannot cut node" + a + " from itself");
        }
        NodeSpec first = cluster.node(a);
        NodeSpec second = cluster.node(b);
        dropConnectionsDialedTo(first, second);
        dropConnectionsDialedTo(second, first);
        cuts.add(first.id() + "<->" + second.id());
        for (NodeSpec node : List.of(first, second)) {
            NodeProcess.appendToLog(node, "==== harness: firewall cuts " + first.id() + " <-> " + second.id() + " ====");
        }
    }

    /** Cuts node {@code k} from every other node. */
    void isolate(int k) {
        cluster.nodes().stream().map(NodeSpec::index).filter(i -> i != k).forEach(i -> cut(k, i));
    }

    /** Removes every cut; the chain stays hooked (and empty) until {@link #close}. */
    void healAll() {
        Iptables.run("-F", chain);
        for (NodeSpec node : cluster.nodes()) {
            NodeProcess.appendToLog(node, "==== harness: firewall healed " + cuts + " ====");
        }
        cuts.clear();
    }

    /** The chain's rules with their packet counters, for failure messages and the test output. */
    String describe() {
        try {
            return Iptables.run("-L", chain, "-n", "-v", "-x");
        } catch (RuntimeException e) {
            return "cannot list " + chain + ": " + e.getMessage();
        }
    }

    /** Packets dropped by the chain so far: proves the rules matched real inter-node traffic. */
    long droppedPackets() {
        long dropped = 0;
        for (String line : Iptables.run("-L", chain, "-n", "-v", "-x").lines().toList()) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length > 2 && fields[2].equals("DROP")) {
                dropped += Long.parseLong(fields[0]);
            }
        }
        return dropped;
    }

    /** packets from {@code dialer}'s address to {@code acceptor}'s peer port, and the answers back. */
    private void dropConnectionsDialedTo(NodeSpec dialer, NodeSpec acceptor) {
        String port = Integer.toString(acceptor.peerPort());
        Iptables.run("-A", chain, "-p", "tcp", "-s", dialer.host(), "-d", acceptor.host(), "--dport", port, "-j", "DROP");
        Iptables.run("-A", chain, "-p", "tcp", "-s", acceptor.host(), "-d", dialer.host(), "--sport", port, "-j", "DROP");
    }

    /** Whether the chain, or a jump to it, is still in the ruleset. */
    boolean isInstalled() {
        return chainExists(chain) || hookExists(chain);
    }

    /** Unhooks and deletes the chain; safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeChain();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs removeChain again, which is harmless.
        }
    }

    private void removeChain() {
        removeChain(chain);
    }

    /**
     * Removes every jump to {@code chain} from the hooks, then its rules, then the chain; does
     * what it can and reports the first failure at the end, so one failed step never leaves the
     * rest in place.
     */
    private static void removeChain(String chain) {
        List<RuntimeException> failures = new ArrayList<>();
        // A failed run that hooked twice is unhooked fully: delete until none is left (bounded).
        for (int i = 0; i < 10 && hookExists(chain); i++) {
            attempt(failures, "-D", HOOK, "-j", chain);
        }
        if (chainExists(chain)) {
            attempt(failures, "-F", chain);
            attempt(failures, "-X", chain);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not fully remove iptables chain " + chain, failures.get(0));
        }
    }

    private static void attempt(List<RuntimeException> failures, String... args) {
        try {
            Iptables.run(args);
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static boolean hookExists(String chain) {
        return Iptables.run("-S", HOOK).lines().anyMatch(line -> line.equals("-A " + HOOK + " -j " + chain));
    }

    private static boolean chainExists(String chain) {
        return Iptables.run("-S").lines().anyMatch(line -> line.equals("-N " + chain));
    }

    /** Chains {@code RINGKV_IT_<pid>} whose JVM is gone. Another live JVM's chain is left alone. */
    private static void removeChainsOfDeadJvms() {
        for (String line : Iptables.run("-S").lines().toList()) {
            if (!line.startsWith("-N " + CHAIN_PREFIX)) {
                continue;
            }
            String chain = line.substring(3);
            Optional<Long> pid = parsePid(chain.substring(CHAIN_PREFIX.length()));
            if (pid.isPresent() && ProcessHandle.of(pid.get()).isEmpty()) {
                removeChain(chain);
            }
        }
    }

    private static Optional<Long> parsePid(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
