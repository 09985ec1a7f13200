package dev.moat.cli;

import picocli.CommandLine.Command;

/** {@code moat audit ...} */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Tamper-evident audit logs: verify, tail, show.",
        subcommands = {AuditVerify.class, AuditTail.class, AuditShow.class})
final class AuditCommand extends GroupCommand {}
