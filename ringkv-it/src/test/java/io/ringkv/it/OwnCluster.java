package io.ringkv.it;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's own cluster of node processes, started by the test and torn down after it whatever
 * happened: on a failure every node's log tail is printed first; then what the test registered to
 * be closed (firewall chains...) is closed, last registered first, and the cluster last.
 * Register it as {@code @RegisterExtension final OwnCluster own = new OwnCluster();}.
 */
final class OwnCluster implements AfterEachCallback {
    private LocalClusterProcesses cluster;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    /** Starts every node of {@code settings} (see {@link LocalClusterProcesses#start(ClusterSettings)}). */
    LocalClusterProcesses start(ClusterSettings settings) {
        return start(settings, settings.nodeCount());
    }

    /** Starts nodes 1..{@code running} of {@code settings}; the others may join later. */
    LocalClusterProcesses start(ClusterSettings settings, int running) {
        cluster = LocalClusterProcesses.start(settings, running);
        toClose.push(cluster);
        return cluster;
    }

    /** Closes {@code resource} after the test, before the cluster. */
    <T extends AutoCloseable> T closing(T resource) {
        toClose.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        context.getExecutionException().ifPresent(failure -> System.err.println("FAILED " + context.getDisplayName()
                + "; node logs follow\n" + (cluster == null ? "(no cluster)" : cluster.describe())));
        Exception first = null;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        cluster = null;
        if (first != null) {
            throw first;
        }
    }
}
