package dev.moat.cli;

import picocli.CommandLine.Command;

/** {@code moat identity ...} */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Agent identities (Ed25519 keys) in the home.",
        subcommands = {IdentityGenerate.class, IdentityList.class, IdentityShow.class, IdentityExportPublic.class,
                IdentityImport.class, IdentityTrust.class})
final class IdentityCommand extends GroupCommand {}
