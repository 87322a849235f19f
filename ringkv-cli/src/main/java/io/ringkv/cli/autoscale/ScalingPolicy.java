package io.ringkv.cli.autoscale;

import java.util.Locale;

/**
 * Decides, one sample at a time, whether the local cluster should gain a node, lose one, or hold.
 * Pure: time is passed in, nothing is done here (the command acts and then calls {@link #changed}).
 *
 * <p>The rules, in order: while a membership change is in progress (a node JOINING or LEAVING,
 * or not every node seen NORMAL and UP) it holds and forgets what it had seen, because a join or
 * decommission moves data and skews both the rate and the latency. Below {@code minNodes} it joins,
 * above {@code maxNodes} it decommissions, at once. Otherwise the cluster is <em>hot</em> when the
 * requests per node exceed {@code scaleUpOpsPerNode} or the p99 exceeds the ceiling, and
 * <em>cold</em> when the requests per node are below {@code scaleDownOpsPerNode}, the p99 is not
 * above the ceiling, and one node fewer would not be hot by rate (so it never removes a node it
 * would add back at once). A hot or cold state acts only when it has held at every sample for
 * {@code sustainMillis} and {@code cooldownMillis} have passed since the last change: one step at
 * a time, a pause, then the figures of the new size decide again. Between the two thresholds it holds.
 */
public final class ScalingPolicy {
    private final ScalingThresholds limits;
    private long hotSinceNanos;
    private boolean hot;
    private long coldSinceNanos;
    private boolean cold;
    private long lastChangeNanos;
    private boolean changedOnce;

    public ScalingPolicy(ScalingThresholds limits) {
        this.limits = limits;
    }

    /**
     * @param figures            the last interval's load, or null if there are none (first sample, nodes changed)
     * @param membershipUnsettled null if every node is NORMAL and UP in every view, else what is not
     */
    public Decision decide(long nowNanos, int nodes, LoadFigures figures, String membershipUnsettled) {
        if (membershipUnsettled != null) {
            forgetPressure();
            return Decision.hold("membership", "membership change in progress: " + membershipUnsettled);
        }
        if (nodes < limits.minNodes()) {
            return Decision.join(nodes + " nodes, below --min " + limits.minNodes());
        }
        if (nodes > limits.maxNodes()) {
            return Decision.decommission(nodes + " nodes, above --max " + limits.maxNodes());
        }
        if (figures == null) {
            forgetPressure();
            return Decision.hold("no-figures", "no load figures yet (first sample, or the nodes changed since the last)");
        }
        boolean slow = figures.hasP99() && figures.p99Millis() > limits.p99CeilingMillis();
        boolean busy = figures.opsPerNode() > limits.scaleUpOpsPerNode();
        double opsPerNodeWithOneFewer = nodes > 1 ? figures.opsPerSecond() / (nodes - 1) : Double.POSITIVE_INFINITY;
        boolean idle = figures.opsPerNode() < limits.scaleDownOpsPerNode() && !slow
                && opsPerNodeWithOneFewer <= limits.scaleUpOpsPerNode();
        trackHot(busy || slow, nowNanos);
        trackCold(idle, nowNanos);
        String observed = observed(figures, busy, slow);
        if (hot) {
            return step(Decision.Action.JOIN, nowNanos, hotSinceNanos, nodes >= limits.maxNodes(), "at-max",
                    observed + "; at --max " + limits.maxNodes(), observed);
        }
        if (cold) {
            String observedIdle = String.format(Locale.ROOT, "%s < --scale-down-ops %s per node (%.1f per node with one fewer)",
                    figures, number(limits.scaleDownOpsPerNode()), opsPerNodeWithOneFewer);
            return step(Decision.Action.DECOMMISSION, nowNanos, coldSinceNanos, nodes <= limits.minNodes(), "at-min",
                    observedIdle + "; at --min " + limits.minNodes(), observedIdle);
        }
        return Decision.hold("steady", figures + ": within the targets");
    }

    /** A change (join or decommission) has just completed: the cooldown starts now, and pressure is measured afresh. */
    public void changed(long nowNanos) {
        lastChangeNanos = nowNanos;
        changedOnce = true;
        forgetPressure();
    }

    private Decision step(Decision.Action action, long nowNanos, long sinceNanos, boolean atBound, String boundState,
                          String atBoundWhy, String observed) {
        if (atBound) {
            return Decision.hold(boundState, atBoundWhy);
        }
        long heldMillis = (nowNanos - sinceNanos) / 1_000_000;
        if (heldMillis < limits.sustainMillis()) {
            return Decision.hold("sustaining", String.format(Locale.ROOT, "%s; held %.1f s of --sustain-seconds %s", observed,
                    heldMillis / 1000.0, number(limits.sustainMillis() / 1000.0)));
        }
        long sinceChangeMillis = (nowNanos - lastChangeNanos) / 1_000_000;
        if (changedOnce && sinceChangeMillis < limits.cooldownMillis()) {
            return Decision.hold("cooldown", String.format(Locale.ROOT, "%s; cooling down, %.1f s of --cooldown-seconds %s since"
                    + " the last change", observed, sinceChangeMillis / 1000.0, number(limits.cooldownMillis() / 1000.0)));
        }
        String why = String.format(Locale.ROOT, "%s, for %.1f s", observed, heldMillis / 1000.0);
        return action == Decision.Action.JOIN ? Decision.join(why) : Decision.decommission(why);
    }

    private String observed(LoadFigures figures, boolean busy, boolean slow) {
        StringBuilder why = new StringBuilder(figures.toString());
        if (busy) {
            why.append(String.format(Locale.ROOT, "; %.1f per node > --scale-up-ops %s", figures.opsPerNode(),
                    number(limits.scaleUpOpsPerNode())));
        }
        if (slow) {
            why.append(String.format(Locale.ROOT, "; p99 %.1f ms > --p99-ceiling-ms %s", figures.p99Millis(),
                    number(limits.p99CeilingMillis())));
        }
        return why.toString();
    }

    private void trackHot(boolean now, long nowNanos) {
        if (now && !hot) {
            hotSinceNanos = nowNanos;
        }
        hot = now;
    }

    private void trackCold(boolean now, long nowNanos) {
        if (now && !cold) {
            coldSinceNanos = nowNanos;
        }
        cold = now;
    }

    private void forgetPressure() {
        hot = false;
        cold = false;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
