package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import dev.moat.identity.AgentKeypair;
import java.util.Optional;

/**
 * Finds the subject of a new token in the home. An unknown name gets a fresh identity so the
 * original Moat's walk-through works as written; it is stored (with a note on stderr) only once
 * the token was made, and {@code --no-generate} refuses unknown names instead.
 */
final class Subjects {
    private Subjects() {}

    /** A subject, possibly generated and not yet stored. */
    record Subject(AgentIdentity identity, AgentKeypair generated) {
        /** Stores a generated identity; call after the token was made. */
        void commit(Home home, CliCommand cmd) {
            if (generated == null) {
                return;
            }
            home.store(generated);
            cmd.notice("subject '" + generated.name() + "' was unknown: generated identity " + generated.name() + " ("
                    + generated.id() + ") in " + cmd.show(home.keysDir()) + " (use --no-generate to refuse unknown subjects)");
        }
    }

    static Subject resolve(Home home, String name, boolean generate) {
        Optional<AgentIdentity> known = home.find(name);
        if (known.isPresent()) {
            return new Subject(known.get(), null);
        }
        if (!generate) {
            throw CliException.io("no identity '" + name + "' in " + home.keysDir()
                    + " (generate it, import its .pub, or drop --no-generate)");
        }
        AgentKeypair kp = AgentKeypair.generate(name);
        return new Subject(kp.identity(), kp);
    }
}
