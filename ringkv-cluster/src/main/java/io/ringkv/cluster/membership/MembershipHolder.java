package io.ringkv.cluster.membership;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link MembershipView} and tells subscribers when it changes. Readers call
 * {@link #current()} and get a consistent snapshot without locking; publishing is serialized so
 * every listener sees the views in the same order, each event list describing exactly the step
 * from the view it was handed as previous to the one handed as current.
 */
public final class MembershipHolder {
    private static final Logger log = LoggerFactory.getLogger(MembershipHolder.class);

    private volatile MembershipView current;
    private final CopyOnWriteArrayList<MembershipListener> listeners = new CopyOnWriteArrayList<>();

    public MembershipHolder(MembershipView initial) {
        this.current = Objects.requireNonNull(initial, "initial view");
    }

    public MembershipView current() {
        return current;
    }

    public void subscribe(MembershipListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void unsubscribe(MembershipListener listener) {
        listeners.remove(listener);
    }

    /**
     * Swaps in {@code next} and notifies listeners of the differences. Returns the events (empty,
     * and no notification, if nothing a subscriber can see changed).
     */
    public synchronized List<MembershipEvent> publish(MembershipView next) {
        Objects.requireNonNull(next, "next view");
        MembershipView previous = current;
        if (!previous.self().equals(next.self())) {
            throw new IllegalArgumentException("view of " + next.self() + " published to the holder of "
                    + previous.self());
        }
        List<MembershipEvent> events = MembershipDiff.between(previous, next);
        current = next;
        if (!events.isEmpty()) {
            for (MembershipListener listener : listeners) {
                try {
                    listener.onChange(previous, next, events);
                } catch (RuntimeException e) {
                    // One broken subscriber must not stop the others from hearing of a DOWN node.
                    log.error("membership listener {} failed", listener, e);
                }
            }
        }
        return events;
    }
}
