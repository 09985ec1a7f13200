package dev.moat.cli;

import dev.moat.MoatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code moat} command: global options, exit codes and error reporting. */
@Command(name = "moat", mixinStandardHelpOptions = true, versionProvider = MoatCli.Version.class,
        description = "Moat: signed agent identities, capability tokens, tamper-evident audit logs.",
        subcommands = {IdentityCommand.class, TokenCommand.class, AuditCommand.class, PolicyCommand.class,
                SandboxCommand.class, DemoCommand.class, InitCommand.class, McpCommand.class, BridgeCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  ok",
            "  1  denied or invalid (refused delegation, invalid token, broken audit log, bad policy)",
            "  2  usage (unknown command or option, missing or malformed argument)",
            "  3  I/O (a file, folder or identity does not exist or cannot be read or written)",
            "",
            "Errors are one line on stderr (stack traces with --verbose). --json prints one JSON object on stdout.",
            "Home: --home DIR, else $MOAT_HOME, else .moat in the working directory."})
public final class MoatCli implements Callable<Integer> {

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Moat home folder (default: $MOAT_HOME, else .moat in the working directory).")
    String homeOption;

    @Option(names = "--init", scope = ScopeType.INHERIT,
            description = "Create the --home folder when it does not exist (without it, a --home that does not exist is an error).")
    boolean init;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine-readable output: one JSON object on stdout.")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces on errors.")
    boolean verbose;

    @Option(names = "--color", scope = ScopeType.INHERIT, paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; auto honours NO_COLOR).")
    Terminal.ColorMode color;

    @Spec
    CommandSpec spec;

    private final Path workDir;
    private final Map<String, String> env;

    public MoatCli(Path workDir, Map<String, String> env) {
        this.workDir = workDir.toAbsolutePath();
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        System.exit(run(Path.of(""), System.getenv(), args));
    }

    /** Runs one command line with the process's standard streams. */
    public static int run(Path workDir, Map<String, String> env, String... args) {
        return commandLine(workDir, env).execute(args);
    }

    /** A ready command line; tests replace its streams with {@code setOut}/{@code setErr}. */
    public static CommandLine commandLine(Path workDir, Map<String, String> env) {
        MoatCli cli = new MoatCli(workDir, env);
        CommandLine cmd = new CommandLine(cli);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> cli.report(ex, commandLine.getErr(), commandLine.getOut()));
        cmd.setParameterExceptionHandler(MoatCli::usageError);
        cmd.setExitCodeExceptionMapper(ex -> ex instanceof CliException c ? c.exitCode() : ExitCodes.DENIED);
        return cmd;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    Path workDir() {
        return workDir;
    }

    Map<String, String> env() {
        return env;
    }

    /** --home, else $MOAT_HOME, else ./.moat; refused when unsafe or not created by Moat ({@link Home#checked()}). */
    Home home() {
        Home home = uncheckedHome().checked();
        if (homeOption != null && !init && !java.nio.file.Files.exists(home.root(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw CliException.io("no Moat home at " + home.root() + " (a typo? to create it, add --init or run: moat init --home "
                    + homeOption + ")");
        }
        return home;
    }

    /** The home path, not checked: only for {@code moat init}, which adopts it. */
    Home uncheckedHome() {
        if (homeOption != null) {
            return new Home(workDir.resolve(homeOption).normalize());
        }
        String fromEnv = env.get("MOAT_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Home(workDir.resolve(fromEnv).normalize());
        }
        return new Home(workDir.resolve(".moat"));
    }

    private int report(Exception ex, PrintWriter err, PrintWriter out) {
        int code;
        String reason;
        String message;
        if (ex instanceof CliException c) {
            code = c.exitCode();
            reason = c.reason();
            message = c.getMessage();
        } else if (ex instanceof UncheckedIOException || ex instanceof IOException) {
            code = ExitCodes.IO;
            reason = "io";
            message = "I/O error: " + ex.getMessage();
        } else if (ex instanceof MoatException || ex instanceof IllegalArgumentException) {
            code = ExitCodes.DENIED;
            reason = "invalid";
            message = ex.getMessage();
        } else {
            code = ExitCodes.DENIED;
            reason = "internal";
            message = "internal error: " + ex.getClass().getSimpleName() + (verbose ? "" : " (run with --verbose for details)");
        }
        err.println("moat: " + oneLine(message));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", false);
            m.put("exit", code);
            m.put("reason", reason);
            m.put("error", oneLine(message));
            if (ex instanceof CliException c) {
                m.putAll(c.details());
            }
            out.println(Json.line(m));
            out.flush();
        }
        return code;
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = UsageErrors.describe(ex, args);
        err.println("moat: " + oneLine(message) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        if (Arrays.asList(args).contains("--json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", false);
            m.put("exit", ExitCodes.USAGE);
            m.put("reason", "usage");
            m.put("error", oneLine(message));
            cmd.getOut().println(Json.line(m));
            cmd.getOut().flush();
        }
        return ExitCodes.USAGE;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        // error messages can quote untrusted input (a file name, a field): no raw controls on the terminal
        return dev.moat.internal.DisplayText.escape(s.replace('\n', ' ').replace('\r', ' ').strip());
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"moat " + version(), "Java " + System.getProperty("java.version")};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = MoatCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }
}
