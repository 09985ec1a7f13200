package dev.moat.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every leaf command: streams, home, paths, JSON and colour, taken from the root. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        int code = execute();
        out().flush();
        err().flush();
        return code;
    }

    /** Runs the command; returns an exit code or throws {@link CliException}. */
    protected abstract int execute() throws Exception;

    protected MoatCli cli() {
        return (MoatCli) spec.root().userObject();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected Home home() {
        return cli().home();
    }

    protected boolean json() {
        return cli().json;
    }

    /** A path argument, relative to the working directory. */
    protected Path resolve(String path) {
        return cli().workDir().resolve(path).normalize();
    }

    /** A path for display: relative to the working directory when below it. */
    protected String show(Path p) {
        Path wd = cli().workDir();
        return p.startsWith(wd) && !p.equals(wd) ? wd.relativize(p).toString() : p.toString();
    }

    /** Styling for stdout. */
    protected Style style() {
        Map<String, String> env = cli().env();
        return new Style(!json() && Terminal.colorEnabled(cli().color, env, Terminal.stdoutIsTerminal(env)));
    }

    /** Styling for stderr. */
    protected Style errStyle() {
        Map<String, String> env = cli().env();
        return new Style(Terminal.colorEnabled(cli().color, env, Terminal.stderrIsTerminal(env)));
    }

    /** A one-line note on stderr (never on stdout, so --json output stays clean). */
    protected void notice(String message) {
        err().println(errStyle().yellow("moat: note: ") + message);
    }

    protected void printJson(Object value) {
        out().println(Json.line(value));
    }
}
