package dev.moat.cli;

import picocli.CommandLine.Command;

/** {@code moat sandbox ...} */
@Command(name = "sandbox", mixinStandardHelpOptions = true, description = "Run untrusted WebAssembly tools under a token's limits.",
        subcommands = {SandboxRun.class})
final class SandboxCommand extends GroupCommand {}
