package io.ringkv.cli;

import io.ringkv.server.ServerMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringkv server --config FILE}: runs one node in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs one node in the foreground until SIGTERM or Ctrl-C.",
                "Logs go to stderr; nothing is written to stdout. Keys: docs/configuration.md."})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the node's YAML configuration file")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return ServerMain.run(config, spec.commandLine().getErr());
    }
}
