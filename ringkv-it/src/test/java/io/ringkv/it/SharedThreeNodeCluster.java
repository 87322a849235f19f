package io.ringkv.it;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One 3-node cluster (N = 3, R = W = 2) shared by every test class that uses this extension,
 * started on first use and closed when the test run ends: starting JVMs and converging gossip
 * is the slow part of the suite, so it is done once.
 *
 * <p>Tests receive it as a {@link LocalClusterProcesses} parameter. They may kill, pause and
 * restart nodes: after each test every node is resumed or restarted and gossip must converge
 * again, so every test starts from a whole cluster. Tests use keys of their own, so data left
 * by one test cannot affect another. When a test fails, every node's log tail is printed.
 */
public final class SharedThreeNodeCluster implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedThreeNodeCluster.class);

    /** Closes the cluster when the root context (the whole test run) closes. */
    private record Running(LocalClusterProcesses cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }

    static LocalClusterProcesses cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("three-nodes", key -> new Running(LocalClusterProcesses.start(ClusterSettings.of(3))),
                        Running.class)
                .cluster();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalClusterProcesses.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    /** Prints the logs of a failed test before the restore adds to them, then restores. */
    @Override
    public void afterEach(ExtensionContext context) {
        LocalClusterProcesses cluster = cluster(context);
        context.getExecutionException().ifPresent(failure -> System.err.println(
                "FAILED " + context.getDisplayName() + " (" + failure + "); node logs follow\n" + cluster.describe()));
        cluster.restoreAll();
    }
}
