package dev.partita.vmms.worker.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The service's side of a worker's control socket: one connection per request, one JSON line each way.
 * Stateless; any thread.
 */
public final class ControlChannel {
    /** The longest line either side accepts. */
    static final int MAX_LINE = 64 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    private ControlChannel() {
    }

    /** Sends {@code request} to the worker listening on {@code socket} and returns its reply. */
    public static ControlReply call(Path socket, ControlRequest request) throws ControlException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            out.write((JSON.writerFor(ControlRequest.class).writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String line = readLine(in);
            if (line == null) {
                throw new ControlException("worker closed its control socket " + socket + " without a reply");
            }
            return JSON.readValue(line, ControlReply.class);
        } catch (JsonProcessingException e) {
            throw new ControlException("worker at " + socket + " sent a malformed reply: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ControlException("cannot reach the worker at " + socket + ": " + e.getMessage(), e);
        }
    }

    /** One line of at most {@link #MAX_LINE} characters, or null at end of stream. */
    static String readLine(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() == MAX_LINE) {
                throw new IOException("control line longer than " + MAX_LINE + " characters");
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }
}
