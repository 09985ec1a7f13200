package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import dev.moat.identity.AgentKeypair;
import java.util.Optional;

/**
 * Finds the subject of a new token in the home. An unknown name is generated on the spot (with a
 * note on stderr) so the original Moat's walk-through works as written; {@code --no-generate}
 * refuses instead.
 */
final class Subjects {
    private Subjects() {}

    static AgentIdentity resolve(Home home, String name, boolean generate, CliCommand cmd) {
        Optional<AgentIdentity> known = home.find(name);
        if (known.isPresent()) {
            return known.get();
        }
        if (!generate) {
            throw CliException.io("no identity '" + name + "' in " + home.keysDir()
                    + " (generate it, import its .pub, or drop --no-generate)");
        }
        AgentKeypair kp = home.generate(name);
        cmd.notice("subject '" + name + "' was unknown: generated identity " + name + " (" + kp.id() + ") in "
                + cmd.show(home.keysDir()) + " (use --no-generate to refuse unknown subjects)");
        return kp.identity();
    }
}
