package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in this JVM and keeps what it said on stdout (commands that print through picocli's writer) and stderr. */
record CliRun(int status, String out, String err) {

    static CliRun of(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        int status = cli.execute(args);
        return new CliRun(status, out.toString(), err.toString());
    }

    /** Exit {@code expectedStatus} with exactly one "ringkv: " line containing {@code contains}. */
    void assertOneLine(int expectedStatus, String contains) {
        assertThat(status).as(err).isEqualTo(expectedStatus);
        assertThat(err.strip()).as("exactly one line").doesNotContain("\n").startsWith("ringkv: ").contains(contains);
    }
}
