package dev.moat.cli;

import dev.moat.audit.AuditVerification;
import dev.moat.scenario.ScenarioReport;
import dev.moat.scenario.ScenarioStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code moat demo} */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the scripted multi-agent scenario: a coordinator delegates to a reviewer, a tester and a deployer;",
            "in-scope calls pass, out-of-scope, broadened, forged, replayed, stolen, expired and revoked ones are denied;",
            "then the audit log is verified. Uses a fresh temporary folder unless --home is given on the command line",
            "($MOAT_HOME is ignored here, so the demo never writes into a real home). Exit 0 when every step went as expected.",
            "The launcher also runs `./moat demo chatbot`: the LangChain4j chatbot sample that defeats an indirect prompt injection,",
            "and `./moat demo spring`: the same scenario as a Spring Boot app guarded by moat-spring-boot-starter."})
final class DemoCommand extends CliCommand {

    @Override
    protected int execute() throws IOException {
        Path dir = demoHome();
        Style s = style();
        if (!json()) {
            out().println(s.bold("Moat demo") + ": coordinator (trusted root) -> reviewer, tester, deployer; rogue is not trusted");
            out().println(s.dim("state in " + show(dir) + (cli().homeOption == null ? " (a temporary folder, kept so you can inspect it)" : "")));
            out().println();
        }
        List<Object> steps = new ArrayList<>();
        long start = System.nanoTime();
        ScenarioReport report = dev.moat.scenario.DelegationScenario.run(dir, step -> {
            if (json()) {
                steps.add(stepJson(step));
            } else {
                printStep(s, step);
                out().flush();
            }
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        AuditVerification v = report.verification();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", report.success());
            m.put("home", dir.toString());
            m.put("steps", steps);
            m.put("auditLog", report.auditLog().toString());
            m.put("auditIntact", v.isIntact());
            if (v instanceof AuditVerification.Intact i) {
                m.put("auditEntries", i.entries());
                m.put("checkpointsVerified", i.checkpointsVerified());
            }
            m.put("millis", millis);
            printJson(m);
        } else {
            out().println();
            if (v instanceof AuditVerification.Intact i) {
                out().println(s.green("audit log intact") + String.format(": %d entries, %d signed checkpoint%s verified (%s)",
                        i.entries(), i.checkpointsVerified(), i.checkpointsVerified() == 1 ? "" : "s", show(report.auditLog())));
            } else {
                out().println(s.red("audit log BROKEN") + ": " + ((AuditVerification.Broken) v).breakage());
            }
            long denied = report.steps().stream().filter(x -> !x.allowed()).count();
            out().println((report.success() ? s.green("demo passed") : s.red("demo FAILED")) + String.format(
                    ": %d steps, %d allowed, %d denied, every decision as expected: %s (%d ms)",
                    report.steps().size(), report.steps().size() - denied, denied, report.success() ? "yes" : "NO", millis));
            out().println(s.dim("next: moat audit verify --path " + show(report.auditLog())));
        }
        return report.success() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    private Path demoHome() throws IOException {
        if (cli().homeOption == null) {
            return Files.createTempDirectory("moat-demo-");
        }
        Path dir = cli().uncheckedHome().root(); // a scratch folder the demo fills, not a home it trusts
        if (Files.exists(dir.resolve("audit.jsonl")) || Files.exists(dir.resolve("audit.jsonl.key"))) {
            throw CliException.usage(dir + " already holds an audit log from an earlier run; give the demo a new folder");
        }
        CliFiles.ownerOnlyDirectory(dir);
        return dir;
    }

    private void printStep(Style s, ScenarioStep step) {
        String verdict = step.allowed() ? s.green("ALLOW") : s.red("DENY ");
        String expected = step.asExpected() ? "" : "  " + s.red("<- NOT AS EXPECTED");
        out().printf("%2d %s %s%s%n", step.number(), verdict, step.title(), expected);
        String who = String.format("         %s %s %s", step.agent(), step.action(), step.resource());
        if (step.allowed()) {
            out().println(s.dim(who));
        } else {
            out().println(s.dim(who) + "  " + s.yellow(step.code().code()) + (step.stage() == null ? "" : s.dim(" at " + step.stage()))
                    + s.dim(": " + step.detail()));
        }
    }

    private static Map<String, Object> stepJson(ScenarioStep step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", step.number());
        m.put("title", step.title());
        m.put("agent", step.agent());
        m.put("action", step.action());
        m.put("resource", step.resource());
        m.put("allowed", step.allowed());
        m.put("stage", step.stage());
        m.put("reason", step.code() == null ? null : step.code().code());
        m.put("detail", step.detail());
        m.put("asExpected", step.asExpected());
        return m;
    }
}
