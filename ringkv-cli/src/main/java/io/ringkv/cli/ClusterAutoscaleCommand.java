package io.ringkv.cli;

import io.ringkv.cli.autoscale.ClusterSampler;
import io.ringkv.cli.autoscale.Decision;
import io.ringkv.cli.autoscale.LoadFigures;
import io.ringkv.cli.autoscale.ScalingPolicy;
import io.ringkv.cli.autoscale.ScalingThresholds;
import io.ringkv.cli.cluster.ClusterDirectory;
import io.ringkv.cli.cluster.NodeLayout;
import io.ringkv.cli.cluster.NodeProcess;
import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringkv cluster autoscale --min 3 --max 6}: watches the local cluster's request rate and
 * p99 and grows or shrinks it, one node at a time, within the bounds. Every interval it samples
 * every running node ({@link ClusterSampler}), turns the counters' differences into figures
 * ({@link LoadFigures}), and lets {@link ScalingPolicy} decide; a join is {@code cluster start
 * --nodes K+1} (the new node streams its ranges), a decommission is {@code cluster scale --nodes
 * K-1} (the highest-numbered, i.e. the most recently added, node hands its ranges over and stops).
 * Both return only when the change is complete, so the loop never starts a second change while
 * one runs. Every decision is a line on stdout with the figures behind it; every sample too with
 * {@code --verbose}. It stops after {@code --duration} or on Ctrl-C / SIGTERM, between samples;
 * a change in progress then goes on at the node.
 */
@Command(name = "autoscale", mixinStandardHelpOptions = true,
        description = {"Watches the local cluster's request rate and p99 and joins or decommissions local nodes, one at a",
                "time, within --min..--max, logging each decision with its figures. Stops after --duration or on Ctrl-C."})
final class ClusterAutoscaleCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Option(names = "--min", paramLabel = "N", defaultValue = "3", description = "fewest nodes (default: ${DEFAULT-VALUE})")
    int minNodes;

    @Option(names = "--max", paramLabel = "N", defaultValue = "6", description = "most nodes (default: ${DEFAULT-VALUE})")
    int maxNodes;

    @Option(names = "--dir", paramLabel = "DIR", description = "cluster directory (default: <ringkv.home>/run/cluster, else ./run/cluster)")
    Path dir;

    @Option(names = "--port", paramLabel = "BASE",
            description = "base port of new nodes, as for cluster start (default: the running nodes')")
    Integer basePort;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "the memory of nodes it starts, as for cluster start (default: their node.memory)")
    String memory;

    @Option(names = "--heap", paramLabel = "SIZE", description = "the fixed heap of nodes it starts, as for cluster start")
    String heap;

    @Option(names = "--scale-up-ops", paramLabel = "OPS", defaultValue = "2000",
            description = "add a node above this many requests per second per node (default: ${DEFAULT-VALUE})")
    double scaleUpOpsPerNode;

    @Option(names = "--scale-down-ops", paramLabel = "OPS", defaultValue = "500",
            description = "remove a node below this many requests per second per node, if one fewer stays below"
                    + " --scale-up-ops (default: ${DEFAULT-VALUE})")
    double scaleDownOpsPerNode;

    @Option(names = "--p99-ceiling-ms", paramLabel = "MS", defaultValue = "50",
            description = "add a node when the p99 of requests exceeds this, and never remove one then (default: ${DEFAULT-VALUE})")
    double p99CeilingMillis;

    @Option(names = "--interval-seconds", paramLabel = "S", defaultValue = "5",
            description = "sampling interval (default: ${DEFAULT-VALUE})")
    double intervalSeconds;

    @Option(names = "--sustain-seconds", paramLabel = "S", defaultValue = "30",
            description = "a condition must hold at every sample this long before it is acted on (default: ${DEFAULT-VALUE})")
    double sustainSeconds;

    @Option(names = "--cooldown-seconds", paramLabel = "S", defaultValue = "60",
            description = "pause after each completed change before the next (default: ${DEFAULT-VALUE})")
    double cooldownSeconds;

    @Option(names = {"--duration", "--duration-seconds"}, paramLabel = "S",
            description = "stop after this many seconds (default: run until Ctrl-C)")
    Double durationSeconds;

    @Option(names = "--verbose", description = "also print every sample and every hold")
    boolean verbose;

    private final PrintStream out = System.out;
    private volatile boolean stopRequested;

    @Override
    public Integer call() {
        ScalingThresholds limits = thresholds();
        if (intervalSeconds < 0.1 || intervalSeconds > 3600) {
            throw new CliException("--interval-seconds must be between 0.1 and 3600, got " + intervalSeconds, CliException.USAGE);
        }
        if (durationSeconds != null && durationSeconds <= 0) {
            throw new CliException("--duration must be positive, got " + durationSeconds, CliException.USAGE);
        }
        ClusterDirectory cluster = new ClusterDirectory(dir == null ? ClusterDirectory.defaultRoot() : dir);
        if (running(cluster).isEmpty()) {
            throw new CliException("no node of " + cluster.root() + " is running; start the cluster first with 'ringkv cluster"
                    + " start --nodes " + minNodes + (dir == null ? "" : " --dir " + dir) + "'");
        }
        CountDownLatch loopDone = new CountDownLatch(1);
        Thread loop = Thread.currentThread();
        Thread onSignal = new Thread(() -> {
            stopRequested = true;
            loop.interrupt();
            try {
                loopDone.await(10, TimeUnit.SECONDS); // let it print its last line
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "autoscale-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return run(cluster, new ScalingPolicy(limits));
        } finally {
            loopDone.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM exits with the signal's status
            }
        }
    }

    private int run(ClusterDirectory cluster, ScalingPolicy policy) {
        long startNanos = System.nanoTime();
        long endNanos = durationSeconds == null ? Long.MAX_VALUE : startNanos + (long) (durationSeconds * 1e9);
        long intervalNanos = (long) (intervalSeconds * 1e9);
        ClusterSampler sampler = new ClusterSampler(Duration.ofSeconds(2));
        log(String.format(java.util.Locale.ROOT, "autoscaling %s within %d..%d nodes: add above %s ops/s per node or p99 above"
                        + " %s ms, remove below %s ops/s per node; sampled every %s s, sustained %s s, cooldown %s s%s",
                cluster.root(), minNodes, maxNodes, num(scaleUpOpsPerNode), num(p99CeilingMillis), num(scaleDownOpsPerNode),
                num(intervalSeconds), num(sustainSeconds), num(cooldownSeconds),
                durationSeconds == null ? "" : ", for " + num(durationSeconds) + " s"));
        ClusterSampler.Sample previous = null;
        String lastHoldState = "";
        int changes = 0;
        while (!stopRequested && System.nanoTime() - endNanos < 0) {
            List<NodeLayout> nodes = running(cluster);
            if (nodes.isEmpty()) {
                // Someone stopped the cluster (cluster stop): there is nothing to scale, and starting
                // it again is not the autoscaler's call.
                log("stopped: no node of " + cluster.root() + " is running any more");
                throw new CliException("no node of " + cluster.root() + " is running any more; autoscale stops");
            }
            ClusterSampler.Sample sample;
            try {
                sample = sampler.sample(nodes.stream().map(ClusterAutoscaleCommand::url).toList(), System.nanoTime());
            } catch (InterruptedException e) {
                break;
            }
            LoadFigures figures = previous == null ? null : LoadFigures.between(previous.counters(), sample.counters(),
                    (sample.atNanos() - previous.atNanos()) / 1e9);
            previous = sample;
            if (verbose) {
                log("sample: " + (figures == null ? nodes.size() + " nodes, no rates yet" : figures.toString()) + "; membership "
                        + (sample.membershipUnsettled() == null ? "settled" : sample.membershipUnsettled()));
            }
            Decision decision = policy.decide(System.nanoTime(), nodes.size(), figures, sample.membershipUnsettled());
            if (!decision.acts()) {
                if (verbose || !decision.state().equals(lastHoldState)) {
                    log("hold: " + decision.why());
                }
                lastHoldState = decision.state();
            } else {
                lastHoldState = "";
                if (act(cluster, nodes, decision)) {
                    changes++;
                }
                policy.changed(System.nanoTime());
                previous = null; // the interval spanned the change: its rates say nothing of the new size
            }
            if (!pause(Math.min(intervalNanos, Math.max(0, endNanos - System.nanoTime())))) {
                break;
            }
        }
        log(String.format(java.util.Locale.ROOT, "stopped after %.1f s: %d changes, %d nodes running", (System.nanoTime() - startNanos) / 1e9,
                changes, running(cluster).size()));
        return 0;
    }

    /** Carries out a JOIN or DECOMMISSION with the existing commands; true if it succeeded. */
    private boolean act(ClusterDirectory cluster, List<NodeLayout> nodes, Decision decision) {
        int highest = nodes.stream().mapToInt(NodeLayout::index).max().orElse(0);
        boolean join = decision.action() == Decision.Action.JOIN;
        int target = join ? highest + 1 : highest - 1;
        log(String.format("decision: %s (%d -> %d nodes, %s): %s", join ? "join" : "decommission", nodes.size(),
                nodes.size() + (join ? 1 : -1), join ? "node" + target + " joins" : "node" + highest + " leaves", decision.why()));
        long began = System.nanoTime();
        int status = join
                ? Main.execute(startArguments(cluster, nodes, target))
                : Main.execute("cluster", "scale", "--nodes", Integer.toString(target), "--dir", cluster.root().toString());
        String took = String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - began) / 1e9);
        if (status == 0) {
            log(String.format("done: %s in %s; %d nodes running", join ? "join" : "decommission", took, running(cluster).size()));
            return true;
        }
        log(String.format("failed: %s exited %d after %s (its reason is above); trying again after the cooldown",
                join ? "cluster start" : "cluster scale", status, took));
        return false;
    }

    /** {@code cluster start} for nodes 1..target, with this command's memory options. */
    private String[] startArguments(ClusterDirectory cluster, List<NodeLayout> nodes, int target) {
        List<String> arguments = new java.util.ArrayList<>(List.of("cluster", "start", "--nodes", Integer.toString(target),
                "--dir", cluster.root().toString(), "--port", Integer.toString(basePort == null ? runningBasePort(nodes) : basePort)));
        if (memory != null) {
            arguments.addAll(List.of("--memory", memory));
        }
        if (heap != null) {
            arguments.addAll(List.of("--heap", heap));
        }
        return arguments.toArray(String[]::new);
    }

    private ScalingThresholds thresholds() {
        try {
            return new ScalingThresholds(minNodes, maxNodes, scaleUpOpsPerNode, scaleDownOpsPerNode, p99CeilingMillis,
                    millis(sustainSeconds, "--sustain-seconds"), millis(cooldownSeconds, "--cooldown-seconds"));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliException.USAGE);
        }
    }

    private static long millis(double seconds, String option) {
        if (!(seconds >= 0 && seconds <= 86_400)) {
            throw new IllegalArgumentException(option + " must be between 0 and 86400, got " + seconds);
        }
        return (long) (seconds * 1000);
    }

    private boolean pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos); // polling other processes: there is nothing to wait on
            return !stopRequested;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static List<NodeLayout> running(ClusterDirectory cluster) {
        return cluster.existingNodes().stream().filter(n -> NodeProcess.running(n).isPresent()).toList();
    }

    private static String url(NodeLayout node) {
        NodeConfig config = config(node);
        return "http://" + config.http().host() + ":" + config.http().port();
    }

    /** New nodes get ports after the running ones': the base port the first running node was given. */
    private static int runningBasePort(List<NodeLayout> nodes) {
        NodeLayout first = nodes.getFirst();
        return config(first).http().port() - first.index();
    }

    private static NodeConfig config(NodeLayout node) {
        try {
            return NodeConfigLoader.load(node.config());
        } catch (ConfigException e) {
            throw new CliException(node.config() + ": " + e.getMessage());
        }
    }

    private void log(String line) {
        out.println(LocalTime.now().format(TIME) + " " + line);
        out.flush();
    }

    private static String num(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
