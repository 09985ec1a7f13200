package dev.moat.cli;

import picocli.CommandLine.Command;

/** {@code moat token ...} */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Capability tokens: create, attenuate, verify, inspect, revoke.",
        subcommands = {TokenCreate.class, TokenAttenuate.class, TokenVerify.class, TokenInspect.class, TokenRevoke.class})
final class TokenCommand extends GroupCommand {}
