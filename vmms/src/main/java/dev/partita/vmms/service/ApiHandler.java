package dev.partita.vmms.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.vmms.api.ApiError;
import dev.partita.vmms.api.VmEvent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Jetty handler of the API: finds the {@link Route}, checks the bearer token on the TCP connector, reads the
 * body (at most {@link RequestDecoder#MAX_BODY} bytes), runs the route's action and writes its {@link Reply}.
 * Every {@link ServiceException} becomes its status with an {@link ApiError} body; an unknown path is 404, a
 * known path with another method 405; any other exception is a 500 for that request only.
 *
 * <p><b>Threads.</b> Called on Jetty's threads, concurrently; the routes' actions are thread-safe. Actions
 * may block (a start waits for its worker).
 */
final class ApiHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Route> routes;
    private final EventHub events;
    private final ServiceMetrics metrics;
    private final Connector tokenConnector;
    private final byte[] token;

    /** {@code tokenConnector} (may be null) is the connector whose requests must carry {@code Bearer token}. */
    ApiHandler(List<Route> routes, EventHub events, ServiceMetrics metrics, Connector tokenConnector, String token) {
        this.routes = routes;
        this.events = events;
        this.metrics = metrics;
        this.tokenConnector = tokenConnector;
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        int status;
        try {
            Reply reply = dispatch(request, method);
            if (reply instanceof Reply.EventStream) {
                streamEvents(response, callback);
                return true;
            }
            if (reply instanceof Reply.ConsoleStream console) {
                streamConsole(response, callback, console);
                metrics.requestAnswered(method, 200);
                return true;
            }
            status = write(response, callback, reply);
        } catch (ServiceException e) {
            status = e.status();
            write(response, callback, new Reply.Json(status, new ApiError(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + method + " " + request.getHttpURI().getPath() + " failed", e);
            status = 500;
            write(response, callback, new Reply.Json(500, new ApiError("internal error: " + e)));
        }
        metrics.requestAnswered(method, status);
        return true;
    }

    private Reply dispatch(Request request, String method) throws ServiceException {
        if (tokenConnector != null && request.getConnectionMetaData().getConnector() == tokenConnector) {
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (auth == null) {
                throw new ServiceException(401, "the TCP API needs an 'Authorization: Bearer TOKEN' header");
            }
            if (!MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), token)) {
                throw new ServiceException(401, "wrong bearer token");
            }
        }
        String path = request.getHttpURI().getPath();
        boolean pathKnown = false;
        for (Route r : routes) {
            Optional<Map<String, String>> params = r.match(path);
            if (params.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (r.method().equals(method)) {
                return r.action().apply(new ApiCall(params.get(), query(request), body(request)));
            }
        }
        throw pathKnown ? new ServiceException(405, "method " + method + " is not allowed on " + path)
                : ServiceException.notFound("no API route " + path);
    }

    private static Map<String, String> query(Request request) {
        Map<String, String> q = new HashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            q.put(f.getName(), f.getValue());
        }
        return q;
    }

    private static byte[] body(Request request) throws ServiceException {
        long declared = request.getLength();
        if (declared > RequestDecoder.MAX_BODY) {
            throw new ServiceException(413, "the request body is larger than " + RequestDecoder.MAX_BODY + " bytes");
        }
        try {
            return Content.Source.asByteArrayAsync(request, RequestDecoder.MAX_BODY).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ServiceException(413, "the request body could not be read (larger than " + RequestDecoder.MAX_BODY
                    + " bytes?): " + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw ServiceException.badRequest("the request body did not arrive within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(503, "interrupted");
        }
    }

    private static int write(Response response, Callback callback, Reply reply) {
        int status;
        byte[] bytes;
        String type;
        try {
            switch (reply) {
                case Reply.Json j -> {
                    status = j.status();
                    bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(j.body());
                    type = "application/json";
                }
                case Reply.Bytes b -> {
                    status = b.status();
                    bytes = b.body();
                    type = b.contentType();
                }
                case Reply.Empty e -> {
                    status = e.status();
                    bytes = null;
                    type = null;
                }
                case Reply.EventStream e -> throw new IllegalStateException("event stream is written by streamEvents");
                case Reply.ConsoleStream c -> throw new IllegalStateException("console stream is written by streamConsole");
            }
        } catch (IOException e) {
            status = 500;
            bytes = ("{\"error\":\"cannot encode the answer\"}").getBytes(StandardCharsets.UTF_8);
            type = "application/json";
        }
        response.setStatus(status);
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"partita\"");
        }
        if (bytes == null) {
            callback.succeeded();
            return status;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return status;
    }

    private static void streamConsole(Response response, Callback callback, Reply.ConsoleStream console) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            ConsoleFollower.follow(console.folder(), console.from(), console.running(), out);
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        }
    }

    private void streamEvents(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
        BlockingQueue<VmEvent> queue = events.subscribe();
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.flush();
            while (!Thread.currentThread().isInterrupted()) {
                VmEvent e = queue.poll(15, TimeUnit.SECONDS);
                // A blank line every 15 s without events finds a client that went away.
                out.write(e == null ? "\n".getBytes(StandardCharsets.UTF_8) : (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } finally {
            events.unsubscribe(queue);
        }
        metrics.requestAnswered("GET", 200);
    }
}
