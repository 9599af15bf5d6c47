package dev.partita.vmms.disk;

import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.disk.vhdx.VhdxImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code partita disk merge}: copies a differencing disk into its parent, then deletes it. */
@Command(name = "merge",
        mixinStandardHelpOptions = true,
        description = "Merge a differencing VHDX into its parent (the parent then holds what the child showed) and "
                + "delete the child, which no longer matches the changed parent.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:merged", "1:an I/O error part-way (the parent stays consistent; the child is kept)",
            "2:the child or its parent cannot be used"},
        usageHelpAutoWidth = true)
public final class DiskMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the child file after merging.")
    boolean keep;

    @Option(names = "--resume", description = "Finish a merge that was interrupted (the parent then no longer matches the "
            + "child's recorded DataWriteGuid); only when nothing else wrote the parent since.")
    boolean resume;

    @Parameters(paramLabel = "CHILD", description = "The differencing VHDX.")
    Path child;

    @Override
    public Integer call() {
        try {
            Path parent = resume ? VhdxImages.resumeMerge(child) : VhdxImages.merge(child);
            if (!keep) {
                Files.delete(child);
            }
            spec.commandLine().getOut().println("merged " + child + " into " + parent + (keep ? "" : "; deleted " + child));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (DiskImageException e) {
            spec.commandLine().getErr().println("partita disk merge: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return DiskCommand.EXIT_BAD_IMAGE;
        } catch (IOException e) {
            spec.commandLine().getErr().println("partita disk merge: " + child + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return DiskCommand.EXIT_IO;
        }
    }
}
