package dev.partita.vmms.service;

import dev.partita.vmms.worker.VmFolder;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts worker processes: the same Java runtime and class or module path as this process, running
 * {@code partita worker --vm-dir DIR}. The worker's stdin is /dev/null and its stdout and stderr go to the VM
 * folder's worker.log, so it outlives the service. Stateless.
 */
public final class WorkerLauncher {

    /** The command line that runs the worker of {@code folder}. */
    public List<String> command(VmFolder folder) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("-Xss8m");
        cmd.add("-XX:+UseSerialGC");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            cmd.add("--enable-native-access=dev.partita.nativebindings,dev.partita.hv,dev.partita.emulator");
            cmd.add("--module-path");
            cmd.add(modulePath);
            cmd.add("-m");
            cmd.add("dev.partita.vmms/dev.partita.vmms.Main");
        } else {
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("dev.partita.vmms.Main");
        }
        cmd.add("worker");
        cmd.add("--vm-dir");
        cmd.add(folder.dir().toString());
        return cmd;
    }

    /** Starts the worker of {@code folder}. */
    public Process start(VmFolder folder) throws IOException {
        return new ProcessBuilder(command(folder))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.workerLog().toFile()))
                .start();
    }
}
