package dev.moat.cli;

import dev.moat.audit.BoundedLineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat audit show --path audit.jsonl --index 5} */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one audit entry in full. Display only: run audit verify to check it.")
final class AuditShow extends CliCommand {
    @Option(names = "--path", paramLabel = "FILE", description = "The JSONL log (default: audit.jsonl in the home).")
    String path;

    @Option(names = "--index", required = true, paramLabel = "N", description = "Entry index (0 is the first).")
    long index;

    @Option(names = "--full", description = "Do not shorten long values (such as the signed message).")
    boolean full;

    @Override
    protected int execute() throws IOException {
        if (index < 0) {
            throw CliException.usage("--index must not be negative");
        }
        Path log = AuditFiles.existing(path == null ? home().root().resolve("audit.jsonl") : resolve(path));
        EntryView entry = find(log);
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("path", log.toString());
            m.put("entry", entry.node());
            printJson(m);
            return ExitCodes.OK;
        }
        out().println(style().bold("entry " + index) + "  (" + show(log) + "; not verified here: moat audit verify checks the chain)");
        entry.details(full).forEach(out()::println);
        return ExitCodes.OK;
    }

    private EntryView find(Path log) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            BoundedLineReader r = new BoundedLineReader(in, AuditFiles.MAX_LINE); // a huge line is refused, never buffered
            long n = 0;
            for (BoundedLineReader.Status st = r.next(); st != BoundedLineReader.Status.END; st = r.next()) {
                if (st == BoundedLineReader.Status.OVERSIZED) {
                    throw CliException.denied("malformed", log.getFileName() + ": line " + r.lineNumber() + " exceeds "
                            + AuditFiles.MAX_LINE + " bytes (run moat audit verify)");
                }
                String line = new String(r.bytes(), 0, r.length(), StandardCharsets.UTF_8);
                // Entries are written in index order, so line N normally holds index N; a damaged log is scanned on.
                if (st == BoundedLineReader.Status.LINE && (n++ >= index || line.contains("\"index\":" + index + ","))) {
                    EntryView e = EntryView.parse(line);
                    if (e.index() == index) {
                        return e;
                    }
                }
            }
        }
        throw CliException.denied("not_found", "no entry with index " + index + " in " + log.getFileName());
    }
}
