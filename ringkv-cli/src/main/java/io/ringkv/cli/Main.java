package io.ringkv.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/ringkv}: one entry point for running a node, managing a local cluster, running the
 * simulations and benchmarks, and administering a node over HTTP. Wrong usage and failures are
 * one readable line on stderr and a non-zero exit status (2 for usage, 1 for failures); results
 * go to stdout.
 */
@Command(name = "ringkv", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "ringkv: a Dynamo-style distributed key-value store.",
        subcommands = {ServerCommand.class, ClusterCommand.class, SimCommand.class, BenchCommand.class, AdminCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (for tests and {@link #main}). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("ringkv: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return CliException.USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof CliException cli2) {
                err.println("ringkv: " + cli2.getMessage());
                err.flush();
                return cli2.exitCode();
            }
            err.println("ringkv: " + cmd.getCommandSpec().qualifiedName() + " failed: " + e);
            e.printStackTrace(err);
            err.flush();
            return CliException.FAILED;
        });
        return cli;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw missingSubcommand(spec);
    }

    /** For commands that only group subcommands: called without one, say which exist. */
    static CommandLine.ParameterException missingSubcommand(CommandLine.Model.CommandSpec spec) {
        return new CommandLine.ParameterException(spec.commandLine(),
                "missing command; expected one of: " + String.join(", ", spec.subcommands().keySet().stream()
                        .filter(name -> !name.equals("help")).toList()));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ringkv " + (v == null ? "(development build)" : v)};
        }
    }
}
