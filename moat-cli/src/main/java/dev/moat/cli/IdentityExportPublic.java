package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moat identity export-public alice [--out alice.pub]} */
@Command(name = "export-public", mixinStandardHelpOptions = true,
        description = "Print (or write) the public identity file of NAME, to share with verifiers. Never the private key.")
final class IdentityExportPublic extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "Identity name.")
    String name;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    String outFile;

    @Override
    protected int execute() throws Exception {
        AgentIdentity id = home().identity(name);
        Path target = outFile == null ? Files.createTempFile("moat-export", ".pub") : resolve(outFile);
        try {
            KeyFiles.savePublic(id, target);
            String text = Files.readString(target);
            if (outFile == null && !json()) {
                out().println(text);
            }
            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", true);
                m.put("name", id.name());
                m.put("id", id.id().value());
                m.put("publicKey", id.publicKey().toBase64Url());
                if (outFile != null) {
                    m.put("file", target.toString());
                }
                printJson(m);
            } else if (outFile != null) {
                out().println("wrote " + show(target) + " (public identity of " + id.name() + ", " + id.id() + ")");
            }
        } finally {
            if (outFile == null) {
                Files.deleteIfExists(target);
            }
        }
        return ExitCodes.OK;
    }
}
