package io.ringkv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ringkv cluster start|status|stop|scale|autoscale}: a cluster of local node processes under one directory. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Starts, inspects and stops a cluster of node processes on this machine.",
        subcommands = {ClusterStartCommand.class, ClusterStatusCommand.class, ClusterStopCommand.class,
                ClusterScaleCommand.class, ClusterAutoscaleCommand.class})
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Main.missingSubcommand(spec);
    }
}
