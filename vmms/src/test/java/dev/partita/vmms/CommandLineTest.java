package dev.partita.vmms;

import static dev.partita.vmms.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.log.LogLevels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree: help, version, errors, log level. */
class CommandLineTest {

    @Test
    void helpListsProbe() {
        CommandLineRun r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("probe"), r.out());
        assertTrue(r.out().contains("--log-level"), r.out());
    }

    @Test
    void probeHelpDocumentsExitCodes() {
        CommandLineRun r = run("probe", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Exit status:"), r.out());
        for (String code : new String[] {"  0  ", "  3  ", "  4  "}) {
            assertTrue(r.out().contains(code), "exit code line" + code + " in " + r.out());
        }
        assertFalse(r.out().contains("--kvm-device"), "the test hook stays hidden");
    }

    @Test
    void unknownCommandIsOneShortErrorWithSuggestion() {
        CommandLineRun r = run("prob");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("partita: Unmatched argument"), r.err());
        assertTrue(r.err().contains("probe"), "suggests the near miss: " + r.err());
        assertTrue(r.err().contains("partita --help"), r.err());
        assertTrue(r.err().lines().count() <= 4, r.err());
    }

    @Test
    void missingSubcommandIsAUsageError() {
        CommandLineRun r = run();
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Missing required subcommand"), r.err());
    }

    @Test
    void versionNamesPartitaAndJava() {
        CommandLineRun r = run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("partita "), r.out());
        assertTrue(r.out().contains("Java "), r.out());
        CommandLineRun sub = run("probe", "--version");
        assertEquals(r.out(), sub.out(), "subcommands print Partita's version too");
    }

    /**
     * Tests run on the class path, where reflection is unrestricted; the launcher runs on the module path,
     * where picocli can only read command classes in packages the module opens to it.
     */
    @Test
    void everyCommandPackageIsOpenedToPicocli() throws Exception {
        String moduleInfo = Files.readString(Path.of("src/main/java/module-info.java"));
        CommandLine root = Main.commandLine();
        List<CommandLine> all = new ArrayList<>(List.of(root));
        all.addAll(root.getSubcommands().values());
        for (CommandLine cmd : all) {
            String pkg = cmd.getCommandSpec().userObject().getClass().getPackageName();
            assertTrue(moduleInfo.contains("opens " + pkg + " to info.picocli;"),
                    "module-info.java must open " + pkg + " to info.picocli (command " + cmd.getCommandName() + ")");
        }
    }

    @Test
    void logLevelOnRootOrSubcommandConfiguresTheLoggingBackend() {
        run("--log-level", "debug", "probe", "--help");
        assertEquals(System.Logger.Level.DEBUG, LogLevels.threshold("dev.partita.hv.Partition"));
        assertTrue(System.getLogger("dev.partita.vmms.Main").isLoggable(System.Logger.Level.DEBUG));
        assertEquals(System.Logger.Level.WARNING, LogLevels.threshold("jdk.event"), "the JDK's own loggers stay quiet");
        assertFalse(System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG));
        run("probe", "--log-level=error", "--help");
        assertEquals(System.Logger.Level.ERROR, LogLevels.threshold("dev.partita.vmms.RunCommand"));
        assertFalse(System.getLogger("dev.partita.vmms.Main").isLoggable(System.Logger.Level.WARNING));
        CommandLineRun bad = run("--log-level", "loud", "probe", "--help");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("not a log level"), bad.err());
    }
}
