package io.ringkv.cli;

import io.ringkv.cli.cluster.NodeJvmOptions;
import io.ringkv.server.ServerMain;
import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.MemoryOverrides;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv server --config FILE}: runs one node in the foreground until SIGTERM or Ctrl-C.
 * With {@code --jvm-options} it prints, one a line, the JVM options the node must be started
 * with instead (bin/ringkv runs it first and starts the node's JVM with them): those of
 * conf/jvm-server.options, the memory plan's, then RINGKV_JAVA_OPTS.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs one node in the foreground until SIGTERM or Ctrl-C.",
                "Logs go to stderr; nothing is written to stdout. Keys: docs/configuration.md."})
final class ServerCommand implements Callable<Integer> {
    /** The operator's JVM options for a node started by bin/ringkv server. */
    static final String OPERATOR_OPTIONS_ENV = "RINGKV_JAVA_OPTS";

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the node's YAML configuration file")
    Path config;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "the node's memory, e.g. 300m or 2g; replaces node.memory (default 300m): heap, direct buffers,"
                    + " block cache and memtables are sized from it (docs/configuration.md, \"Memory\")")
    String memory;

    @Option(names = "--heap", paramLabel = "SIZE",
            description = "the heap, overriding the one derived from the memory (an -Xmx in RINGKV_JAVA_OPTS wins)")
    String heap;

    @Option(names = "--jvm-options", description = "print the JVM options the node is to be started with, one a line, and exit")
    boolean printJvmOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (printJvmOptions) {
            return printJvmOptions(spec.commandLine().getOut());
        }
        MemoryOverrides overrides = overrides(List.of());
        return ServerMain.run(config, overrides, spec.commandLine().getErr());
    }

    private int printJvmOptions(PrintWriter out) {
        List<String> fileOptions;
        try {
            fileOptions = NodeJvmOptions.fromHome(System.getProperty("ringkv.home"));
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage());
        }
        List<String> operatorOptions = NodeJvmOptions.split(System.getenv(OPERATOR_OPTIONS_ENV));
        List<String> others = new java.util.ArrayList<>(fileOptions);
        others.addAll(operatorOptions);
        NodeConfig node;
        try {
            node = NodeConfigLoader.load(config, overrides(others));
        } catch (ConfigException e) {
            throw new CliException(config + ": " + e.getMessage(), CliException.USAGE);
        }
        NodeJvmOptions.forNode(fileOptions, node.memory(), operatorOptions).forEach(out::println);
        out.flush();
        return 0;
    }

    private MemoryOverrides overrides(List<String> otherJvmOptions) {
        try {
            return NodeJvmOptions.overrides(memory, heap, otherJvmOptions);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliException.USAGE);
        }
    }
}
