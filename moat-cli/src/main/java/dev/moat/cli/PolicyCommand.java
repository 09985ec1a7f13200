package dev.moat.cli;

import picocli.CommandLine.Command;

/** {@code moat policy ...} */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Policy files.", subcommands = {PolicyCheck.class, PolicyExplain.class})
final class PolicyCommand extends GroupCommand {}
