package io.ringkv.cli.autoscale;

/**
 * What the policy decided after one sample, and why, with the figures behind it.
 *
 * @param action what to do now
 * @param why    one line: the figures and the threshold or rule that decided
 * @param state  for HOLD, a short name of why it holds ("steady", "sustaining", "cooldown", "at-max",
 *               "at-min", "membership", "no-figures"), so a log can print holds only when the reason changes
 */
public record Decision(Action action, String why, String state) {
    public enum Action {
        /** Start one more node: it joins and streams its ranges. */
        JOIN,
        /** Decommission the most recently added node: it hands its ranges over and stops. */
        DECOMMISSION,
        /** Nothing to do. */
        HOLD
    }

    static Decision join(String why) {
        return new Decision(Action.JOIN, why, "join");
    }

    static Decision decommission(String why) {
        return new Decision(Action.DECOMMISSION, why, "decommission");
    }

    static Decision hold(String state, String why) {
        return new Decision(Action.HOLD, why, state);
    }

    public boolean acts() {
        return action != Action.HOLD;
    }
}
