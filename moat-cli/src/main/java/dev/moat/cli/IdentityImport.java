package dev.moat.cli;

import dev.moat.MoatException;
import dev.moat.identity.AgentIdentity;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moat identity import bob.pub [--trust]} */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Add someone's public identity file (from export-public) to the home, to issue tokens to it or trust it.")
final class IdentityImport extends CliCommand {
    @Parameters(paramLabel = "FILE", description = "A public identity file.")
    String file;

    @Option(names = "--trust", description = "Also trust it as a root of this home.")
    boolean trust;

    @Override
    protected int execute() {
        AgentIdentity id = load(resolve(file));
        Home home = home();
        home.importPublic(id);
        if (trust) {
            home.trustStore().trust(id);
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("name", id.name());
            m.put("id", id.id().value());
            m.put("trustedRoot", trust);
            printJson(m);
        } else {
            out().println(style().green("imported ") + id.name() + "  " + id.id() + (trust ? "  (trusted root)" : ""));
        }
        return ExitCodes.OK;
    }

    static AgentIdentity load(Path path) {
        if (!Files.exists(path)) {
            throw CliException.io("no such file: " + path);
        }
        try {
            return KeyFiles.loadPublic(path);
        } catch (MoatException e) {
            throw CliException.denied("malformed", e.getMessage());
        }
    }
}
