package io.ringkv.cluster.coordinator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Remembers what the coordinator reported. */
final class RecordingListener implements CoordinatorListener {
    final List<String> forwardedTo = new CopyOnWriteArrayList<>();
    final List<String> repaired = new CopyOnWriteArrayList<>();
    final List<String> repairFailed = new CopyOnWriteArrayList<>();
    final List<String> quorumNotMet = new CopyOnWriteArrayList<>();
    final AtomicInteger malformed = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger repairChecks = new AtomicInteger();
    final AtomicInteger coordinatedForUnreachable = new AtomicInteger();

    @Override
    public void onCoordinatedForUnreachableReplicas(String op) {
        coordinatedForUnreachable.incrementAndGet();
    }

    @Override
    public void onRequestCompleted(String op, long nanos, boolean succeeded) {
        completed.incrementAndGet();
    }

    @Override
    public void onQuorumNotMet(String op, int required, int acknowledged) {
        quorumNotMet.add(op + " " + acknowledged + "/" + required);
    }

    @Override
    public void onForwarded(String op, String targetNodeId) {
        forwardedTo.add(targetNodeId);
    }

    @Override
    public void onReadRepairChecked(int replicasCompared, int staleReplicas) {
        repairChecks.incrementAndGet();
    }

    @Override
    public void onReadRepairSent(String replicaNodeId) {
        repaired.add(replicaNodeId);
    }

    @Override
    public void onReadRepairFailed(String replicaNodeId) {
        repairFailed.add(replicaNodeId);
    }

    @Override
    public void onMalformedMessage(int messageType) {
        malformed.incrementAndGet();
    }
}
