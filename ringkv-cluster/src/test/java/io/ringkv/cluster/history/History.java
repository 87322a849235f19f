package io.ringkv.cluster.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recorded history of client operations on a store with siblings, and the checker that judges
 * it, in the spirit of Jepsen's Elle: it never asks the store what it thinks, only what each
 * client was told. Every write carries a unique value (a delete a unique id), so a value read
 * names the one write that made it, and each context a client holds stands for the set of
 * writes its holder has <em>seen</em>, computed here from the client's side alone:
 * <ul>
 *   <li>a read's context: every value it returned, and everything the writers of those values had seen;</li>
 *   <li>a write's reply context: what the context it was written with had seen, and the write itself.</li>
 * </ul>
 * That is the independent oracle of issue 10: it does not use the store's vector clocks or its
 * rule for superseding. The checks:
 * <ol>
 *   <li><b>no lost write</b>: every acknowledged put is in the final read of every replica, or some
 *       attempted write or delete (acknowledged or not) was made with a context that had seen it;</li>
 *   <li><b>no phantom</b>: a read returns only values some put attempted;</li>
 *   <li><b>siblings are concurrent</b>: a read never returns two values one of whose writers had seen the other.</li>
 * </ol>
 * Thread-safe: clients record concurrently.
 */
public final class History {
    /** How a write ended: acknowledged, refused (not applied anywhere), or unknown (may have been applied). */
    public enum Outcome { OK, FAILED, UNKNOWN }

    /** One write or delete as attempted; {@code value} is the delete's id for a delete. */
    public record Write(String key, String value, boolean delete, String contextIn, Outcome outcome) {
    }

    /** One anomaly, with the operations that show it. */
    public record Anomaly(String kind, String key, String detail) {
        @Override
        public String toString() {
            return kind + " on key " + key + ": " + detail;
        }
    }

    private final List<Write> writes = new ArrayList<>();
    private final Map<String, Write> writeByValue = new HashMap<>();
    /** What each context its holders were given stands for: the writes (values, delete ids) seen. */
    private final Map<String, Set<String>> seenByContext = new HashMap<>();
    private final List<String[]> siblingReads = new ArrayList<>();
    /** Writes a node forwarded to a replica: a lost answer makes the forwarder try the next replica. */
    private final Set<String> forwarded = new HashSet<>();
    private int duplicateSiblings;
    private int reads;

    /** A put or delete was attempted with {@code contextIn} (null: none); {@code contextOut} is its reply's, if acknowledged. */
    public synchronized void write(String key, String value, boolean delete, String contextIn, Outcome outcome, String contextOut) {
        Write w = new Write(key, value, delete, contextIn, outcome);
        writes.add(w);
        writeByValue.put(value, w);
        if (outcome == Outcome.OK && contextOut != null) {
            Set<String> seen = new HashSet<>(seen(contextIn));
            seen.add(value);
            seenByContext.merge(contextOut, seen, History::union);
        }
    }

    /** A read of {@code key} answered with {@code values} and {@code contextOut} (null when nothing is stored). */
    public synchronized void read(String key, Collection<String> values, String contextOut) {
        reads++;
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            seen.add(v);
            Write w = writeByValue.get(v);
            if (w != null) {
                seen.addAll(seen(w.contextIn()));
            }
        }
        if (contextOut != null) {
            seenByContext.merge(contextOut, seen, History::union);
        }
        if (values.size() > 1) {
            siblingReads.add(new String[] {key, String.join("\u0000", values)});
        }
    }

    /**
     * The acknowledged write {@code value} may be gone through no fault of the store: every replica
     * that acknowledged it lost its data (a wiped disk), which its W did not promise to survive.
     * It is judged as a write of unknown outcome from now on.
     */
    public synchronized void lostWithItsReplicas(String value) {
        Write w = writeByValue.get(value);
        if (w != null && w.outcome() == Outcome.OK) {
            Write unknown = new Write(w.key(), w.value(), w.delete(), w.contextIn(), Outcome.UNKNOWN);
            writes.set(writes.indexOf(w), unknown);
            writeByValue.put(value, unknown);
        }
    }

    /**
     * The write {@code value} was forwarded by a node outside the key's replicas. When the answer
     * of the replica that coordinated it is lost, the forwarder tries the next replica, and the
     * write may be applied twice, as two versions (docs/design/coordinator.md, Forwarder): a later
     * write that saw one copy leaves the other as a sibling. That is reported as a duplicate
     * sibling, counted apart ({@link #duplicateSiblings()}), not as a false sibling.
     */
    public synchronized void forwarded(String value) {
        forwarded.add(value);
    }

    /** Reads that returned a value beside a later write that had seen it, where that value was forwarded (see {@link #forwarded}). */
    public synchronized int duplicateSiblings() {
        return duplicateSiblings;
    }

    /** A delete with {@code contextIn}, acknowledged: it removes what that context had seen. */
    public void delete(String key, String deleteId, String contextIn) {
        write(key, deleteId, true, contextIn, Outcome.OK, null);
    }

    public synchronized int writeCount() {
        return writes.size();
    }

    public synchronized int readCount() {
        return reads;
    }

    public synchronized long count(Outcome outcome) {
        return writes.stream().filter(w -> w.outcome() == outcome).count();
    }

    /**
     * Judges the history given what a read of every replica returned for each key at the end,
     * after faults were healed and every write had finished.
     */
    public synchronized List<Anomaly> check(Map<String, List<String>> finalValues) {
        List<Anomaly> anomalies = new ArrayList<>();
        Set<String> seenByAWrite = new HashSet<>();
        for (Write w : writes) {
            seenByAWrite.addAll(seen(w.contextIn()));
        }
        for (Write w : writes) {
            if (w.outcome() == Outcome.OK && !w.delete()
                    && !finalValues.getOrDefault(w.key(), List.of()).contains(w.value())
                    && !seenByAWrite.contains(w.value())) {
                anomalies.add(new Anomaly("lost write", w.key(), "acknowledged put " + w.value() + " (context "
                        + shorten(w.contextIn()) + ") is not in the final read " + finalValues.get(w.key())
                        + " and no write was made with a context that had seen it"));
            }
        }
        Map<String, List<String>> allReads = new HashMap<>();
        for (String[] r : siblingReads) {
            allReads.computeIfAbsent(r[0], k -> new ArrayList<>()).add(r[1]);
        }
        finalValues.forEach((key, values) -> allReads.computeIfAbsent(key, k -> new ArrayList<>()).add(String.join("\u0000", values)));
        for (var e : allReads.entrySet()) {
            for (String joined : new LinkedHashSet<>(e.getValue())) {
                checkRead(e.getKey(), joined.isEmpty() ? List.of() : List.of(joined.split("\u0000")), anomalies);
            }
        }
        return anomalies;
    }

    private void checkRead(String key, List<String> values, List<Anomaly> anomalies) {
        for (String v : values) {
            Write w = writeByValue.get(v);
            if (w == null || w.delete() || !w.key().equals(key)) {
                anomalies.add(new Anomaly("phantom", key, "a read returned " + v + ", which no put of this key wrote"));
                continue;
            }
            for (String other : values) {
                if (!other.equals(v) && seen(w.contextIn()).contains(other) && forwarded.contains(other)) {
                    duplicateSiblings++;
                } else if (!other.equals(v) && seen(w.contextIn()).contains(other)) {
                    anomalies.add(new Anomaly("false sibling", key, v + " was written with a context that had seen " + other
                            + ", yet a read returned both " + values));
                }
            }
        }
    }

    private Set<String> seen(String context) {
        return context == null ? Set.of() : seenByContext.getOrDefault(context, Set.of());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String shorten(String context) {
        return context == null ? "none" : context.length() <= 16 ? context : context.substring(0, 16) + "...";
    }
}
