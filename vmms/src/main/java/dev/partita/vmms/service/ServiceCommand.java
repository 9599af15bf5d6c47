package dev.partita.vmms.service;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code partita service}: runs the management service in the foreground until SIGTERM or SIGINT. Workers keep
 * running when it stops; the next service on the same state directory re-attaches to them.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Run the VM management service: a REST API on a Unix domain socket (see docs/service.md).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped by a signal", "1:could not start (message on stderr)"})
public final class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The state directory: one folder per VM "
            + "(default: $PARTITA_STATE_DIR, else ~/.local/state/partita).")
    Path stateDir;

    @Option(names = "--socket", paramLabel = "PATH", description = "The API's Unix domain socket (default: STATE-DIR/api.sock).")
    Path socket;

    @Option(names = "--tcp-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Also serve the API on 127.0.0.1:PORT, with the bearer token in STATE-DIR/api-token (default: no TCP).")
    int tcpPort;

    @Option(names = "--allow-root", paramLabel = "DIR", description = "A folder VM definitions may name images, kernels and "
            + "disks in (repeatable; the state directory is always allowed).")
    List<Path> allowRoots = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path state = (stateDir != null ? stateDir : defaultStateDir()).toAbsolutePath();
        Path sock = socket != null ? socket.toAbsolutePath() : state.resolve("api.sock");
        List<Path> roots = new ArrayList<>(allowRoots);
        roots.add(state);
        String token = null;
        try {
            Files.createDirectories(state);
            if (tcpPort >= 0) {
                token = token(state.resolve("api-token"));
            }
        } catch (IOException e) {
            err.println("partita service: cannot prepare " + state + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        ManagementService started;
        try {
            started = ManagementService.start(state, sock, tcpPort, token, new PathPolicy(roots));
        } catch (ServiceException e) {
            err.println("partita service: " + e.getMessage());
            return 1;
        }
        ManagementService service = started;
        Thread hook = new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                // the process is ending
            }
            stop.countDown();
        }, "partita-service-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("partita service: state " + state + ", API on " + sock
                + (tcpPort >= 0 ? " and 127.0.0.1:" + service.api().tcpPort() : ""));
        out.flush();
        try (service) {
            stop.await();
        }
        return 0;
    }

    /** The default state directory. */
    public static Path defaultStateDir() {
        String env = System.getenv("PARTITA_STATE_DIR");
        return env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".local", "state", "partita");
    }

    /** The token in {@code file}, created owner-only with 32 random bytes when missing. */
    static String token(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String t = HexFormat.of().formatHex(raw);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, t);
        return t;
    }
}
