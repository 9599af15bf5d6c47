package dev.partita.vmms.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The management service over one state directory: takes the directory's lock (one service per directory),
 * loads its VMs and re-attaches to their running workers, serves the API and polls the guests' heartbeats.
 * Closing it stops the API and leaves the workers running (a new service re-attaches to them).
 *
 * <p><b>Threads.</b> Start from one thread; {@link #close()} is idempotent and may come from a shutdown hook.
 */
public final class ManagementService implements AutoCloseable {
    /** Jetty logs through SLF4J into java.util.logging; its routine INFO lines are kept off the service's stderr. */
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");
    /** How often running VMs are asked for their heartbeat. */
    static final long HEARTBEAT_POLL_SECONDS = 5;

    private final FileChannel lockFile;
    private final FileLock lock;
    private final ApiServer api;
    private final VmManager vms;
    private final ScheduledExecutorService poller;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ManagementService(FileChannel lockFile, FileLock lock, ApiServer api, VmManager vms, ScheduledExecutorService poller) {
        this.lockFile = lockFile;
        this.lock = lock;
        this.api = api;
        this.vms = vms;
        this.poller = poller;
    }

    /**
     * Starts the service.
     *
     * @param stateDir the state directory (created owner-only when missing)
     * @param socket   the API's Unix domain socket
     * @param tcpPort  a localhost TCP port for the API (0: any free one), or -1 for none
     * @param token    the bearer token of the TCP port
     * @param paths    the folders VM definitions may name files in
     * @throws ServiceException 409 when another service holds the directory
     */
    public static ManagementService start(Path stateDir, Path socket, int tcpPort, String token, PathPolicy paths) throws Exception {
        JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
        Files.createDirectories(stateDir);
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
        FileChannel lockFile = FileChannel.open(stateDir.resolve("service.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            lockFile.close();
            throw new ServiceException(409, "another service is using the state directory " + stateDir);
        }
        try {
            EventHub events = new EventHub();
            VmManager vms = new VmManager(stateDir, new WorkerLauncher(), events);
            vms.load();
            ServiceMetrics metrics = new ServiceMetrics(vms::countByState);
            ApiServer api = ApiServer.start(socket, tcpPort, token, ApiRoutes.of(vms, new RequestDecoder(paths), metrics, openApi()),
                    events, metrics);
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "partita-heartbeat-poll");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(vms::pollHeartbeats, HEARTBEAT_POLL_SECONDS, HEARTBEAT_POLL_SECONDS, TimeUnit.SECONDS);
            return new ManagementService(lockFile, lock, api, vms, poller);
        } catch (Exception e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    /** The OpenAPI document of the API (the resource {@code openapi.json} next to this class). */
    public static byte[] openApi() throws IOException {
        try (InputStream in = ManagementService.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IOException("openapi.json is missing from the build");
            }
            return in.readAllBytes();
        }
    }

    public ApiServer api() {
        return api;
    }

    public VmManager vms() {
        return vms;
    }

    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        poller.shutdownNow();
        try {
            api.close();
        } finally {
            lock.release();
            lockFile.close();
        }
    }
}
