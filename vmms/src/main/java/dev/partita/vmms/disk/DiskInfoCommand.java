package dev.partita.vmms.disk;

import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.devices.storage.disk.vhdx.VhdxImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code partita disk info}: validates a VHDX and prints its sizes and parent. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        description = "Validate a VHDX (headers, regions, metadata, BAT, parent chain) and print its sizes and parent.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:a valid VHDX", "2:not a valid or usable VHDX (the problem on stderr)"},
        usageHelpAutoWidth = true)
public final class DiskInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repair", description = "Open read-write first, which replays a metadata log left by a crash.")
    boolean repair;

    @Parameters(paramLabel = "FILE", description = "The VHDX file.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (repair) {
                VhdxDisk.open(file, false).close();
            }
            for (String line : VhdxImages.describe(file)) {
                out.println(line);
            }
            out.flush();
            return 0;
        } catch (DiskImageException e) {
            spec.commandLine().getErr().println("partita disk info: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return DiskCommand.EXIT_BAD_IMAGE;
        } catch (IOException e) {
            spec.commandLine().getErr().println("partita disk info: " + file + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return DiskCommand.EXIT_BAD_IMAGE;
        }
    }
}
