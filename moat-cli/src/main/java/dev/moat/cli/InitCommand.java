package dev.moat.cli;

import dev.moat.MoatException;
import dev.moat.identity.HomeFolder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code moat init}: creates the home, or adopts an existing one its user owns. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create the Moat home (owner-only, with its marker), or adopt an existing folder as your home.",
                "Moat refuses a home with content but no marker of a home it created there (for example a .moat",
                "folder shipped in a cloned repository); run this only for a folder you created yourself."})
final class InitCommand extends CliCommand {
    @Override
    protected int execute() {
        Home home = cli().uncheckedHome();
        boolean existed = Files.exists(home.root(), LinkOption.NOFOLLOW_LINKS);
        try {
            HomeFolder.adopt(home.root());
        } catch (MoatException e) {
            throw CliException.denied("unsafe_home", e.getMessage());
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("home", home.root().toString());
            m.put("created", !existed);
            printJson(m);
        } else {
            out().println((existed ? "adopted " : "created ") + show(home.root()) + " as the Moat home");
        }
        return ExitCodes.OK;
    }
}
