package dev.moat.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat audit tail --path audit.jsonl [-n 10]} */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Show the last entries of an audit log, one line each. Display only: run audit verify to check them.")
final class AuditTail extends CliCommand {
    @Option(names = "--path", paramLabel = "FILE", description = "The JSONL log (default: audit.jsonl in the home).")
    String path;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10", description = "How many entries (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    protected int execute() throws IOException {
        if (lines < 1 || lines > 100_000) {
            throw CliException.usage("--lines must be 1..100000");
        }
        Path log = AuditFiles.existing(path == null ? home().root().resolve("audit.jsonl") : resolve(path));
        List<EntryView> entries = new ArrayList<>();
        for (String line : AuditFiles.lastLines(log, lines)) {
            entries.add(EntryView.parse(line));
        }
        if (json()) {
            List<Object> list = new ArrayList<>();
            entries.forEach(e -> list.add(e.node()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("path", log.toString());
            m.put("entries", list);
            printJson(m);
            return ExitCodes.OK;
        }
        if (entries.isEmpty()) {
            out().println("(no entries in " + show(log) + ")");
        }
        Style s = style();
        for (EntryView e : entries) {
            out().println(e.summary(s));
        }
        return ExitCodes.OK;
    }
}
