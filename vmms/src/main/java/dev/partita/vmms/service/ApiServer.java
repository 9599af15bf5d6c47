package dev.partita.vmms.service;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The HTTP server of the API (Jetty): on a Unix domain socket readable and writable by the owner only, and
 * optionally on a localhost TCP port where every request must carry the bearer token.
 *
 * <p><b>Threads.</b> Start and close from one thread; Jetty serves requests on its own pool.
 */
public final class ApiServer implements AutoCloseable {
    private final Server server;
    private final Path socket;
    private final ServerConnector tcp;

    private ApiServer(Server server, Path socket, ServerConnector tcp) {
        this.server = server;
        this.socket = socket;
        this.tcp = tcp;
    }

    /**
     * Starts serving {@code routes}.
     *
     * @param tcpPort a localhost TCP port (0 picks a free one), or -1 for none
     * @param token   the bearer token the TCP port requires (ignored without TCP)
     */
    public static ApiServer start(Path socket, int tcpPort, String token, List<Route> routes, EventHub events, ServiceMetrics metrics)
            throws Exception {
        Server server = new Server();
        Files.deleteIfExists(socket);
        UnixDomainServerConnector unix = new UnixDomainServerConnector(server);
        unix.setUnixDomainPath(socket);
        server.addConnector(unix);
        ServerConnector tcp = null;
        if (tcpPort >= 0) {
            tcp = new ServerConnector(server);
            tcp.setHost("127.0.0.1");
            tcp.setPort(tcpPort);
            server.addConnector(tcp);
        }
        server.setHandler(new ApiHandler(routes, events, metrics, tcp, token));
        server.start();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return new ApiServer(server, socket, tcp);
    }

    /** The TCP port served, or -1. */
    public int tcpPort() {
        return tcp == null ? -1 : tcp.getLocalPort();
    }

    /** The Unix domain socket served. */
    public Path socket() {
        return socket;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        Files.deleteIfExists(socket);
    }
}
