package dev.partita.vmms.worker.control;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * The worker's side of its control socket: accepts connections on a Unix domain socket (owner-only
 * permissions), reads {@link ControlRequest} lines and answers each with what {@code handler} returns. A
 * malformed line gets an error reply; the connection and the worker go on.
 *
 * <p><b>Threads.</b> One platform thread accepts; each connection is served on its own virtual thread, so
 * {@code handler} may be called concurrently and must be thread-safe. {@link #close()} from any thread.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<ControlRequest, ControlReply> handler;

    private ControlServer(Path socket, ServerSocketChannel server, Function<ControlRequest, ControlReply> handler) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
    }

    /** Binds {@code socket} (replacing a stale file) and starts accepting. */
    public static ControlServer start(Path socket, Function<ControlRequest, ControlReply> handler) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        ControlServer s = new ControlServer(socket, server, handler);
        Thread t = new Thread(s::acceptLoop, "partita-worker-control");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofVirtual().name("partita-worker-control-conn").start(() -> serve(ch));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "control socket accept failed: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            String line;
            while ((line = ControlChannel.readLine(in)) != null) {
                ControlReply reply = handle(line);
                out.write((ControlChannel.JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "control connection ended: " + e.getMessage());
        }
    }

    private ControlReply handle(String line) {
        ControlRequest request;
        try {
            request = ControlChannel.JSON.readValue(line, ControlRequest.class);
        } catch (JsonProcessingException e) {
            return ControlReply.refused("malformed control request: " + e.getOriginalMessage());
        }
        try {
            return handler.apply(request);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "control request " + request + " failed", e);
            return ControlReply.refused(request + " failed: " + e.getMessage());
        }
    }

    /** Stops accepting and removes the socket file. */
    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
