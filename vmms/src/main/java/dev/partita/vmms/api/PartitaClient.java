package dev.partita.vmms.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.io.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client of the management service's API over its Unix domain socket (Jetty's HTTP client). Each call is
 * one request; a non-2xx answer becomes an {@link ApiException} with the service's sentence.
 *
 * <p><b>Threads.</b> Thread-safe once opened; close once.
 */
public final class PartitaClient implements AutoCloseable {
    /** How long a call waits for its answer (a start waits for the worker; a stop for the guest). */
    static final long CALL_TIMEOUT_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Transport transport;

    private PartitaClient(HttpClient http, Transport transport) {
        this.http = http;
        this.transport = transport;
    }

    /** A client of the service listening on {@code socket}. */
    public static PartitaClient open(Path socket) throws ApiException {
        HttpClient http = new HttpClient();
        try {
            http.start();
        } catch (Exception e) {
            throw new ApiException("cannot start the HTTP client: " + e.getMessage(), e);
        }
        return new PartitaClient(http, new Transport.TCPUnix(socket));
    }

    public List<VmView> list() throws ApiException {
        return decode(send("GET", "/v1/vms", null), new TypeReference<>() { });
    }

    public VmView show(String name) throws ApiException {
        return decode(send("GET", vm(name), null), new TypeReference<>() { });
    }

    public VmView create(VmSpec spec) throws ApiException {
        return decode(send("POST", "/v1/vms", encode(spec)), new TypeReference<>() { });
    }

    public VmView change(String name, VmPatch patch) throws ApiException {
        return decode(send("PATCH", vm(name), encode(patch)), new TypeReference<>() { });
    }

    /** A lifecycle verb: start, stop, turn-off, pause or resume. */
    public VmView act(String name, String verb) throws ApiException {
        return decode(send("POST", vm(name) + "/" + verb, null), new TypeReference<>() { });
    }

    /** Stops gracefully, turning off after {@code timeoutSeconds}. */
    public VmView stop(String name, int timeoutSeconds) throws ApiException {
        return decode(send("POST", vm(name) + "/stop?timeout=" + timeoutSeconds, null), new TypeReference<>() { });
    }

    public void remove(String name) throws ApiException {
        send("DELETE", vm(name), null);
    }

    /** The tail of the VM's console log. */
    public byte[] console(String name) throws ApiException {
        return send("GET", vm(name) + "/console", null).getContent();
    }

    /** Types {@code data} on a running VM's console. */
    public VmView consoleInput(String name, byte[] data) throws ApiException {
        return decode(send("POST", vm(name) + "/console/input", data), new TypeReference<>() { });
    }

    /** Copies the console to {@code sink} as the guest writes it, from {@code tail} bytes back, until the VM stops. */
    public void followConsole(String name, int tail, java.io.OutputStream sink) throws ApiException {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        http.newRequest("http://localhost" + vm(name) + "/console?follow=true&bytes=" + tail).transport(transport)
                .idleTimeout(1, TimeUnit.DAYS).send(listener);
        try {
            Response response = listener.get(30, TimeUnit.SECONDS);
            try (InputStream in = listener.getInputStream()) {
                if (response.getStatus() != 200) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    String message;
                    try {
                        message = JSON.readValue(body, ApiError.class).error();
                    } catch (IOException e) {
                        message = "HTTP " + response.getStatus() + " " + body;
                    }
                    throw new ApiException(response.getStatus(), message);
                }
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sink.write(buf, 0, n);
                    sink.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", e);
        } catch (TimeoutException | ExecutionException | IOException e) {
            throw new ApiException("console stream failed: " + e.getMessage(), e);
        }
    }

    /** Sends a request with a raw body and returns the answer, whatever its status (for tests of bad requests). */
    public ContentResponse raw(String method, String path, byte[] body) throws ApiException {
        Request r = http.newRequest("http://localhost" + path).method(method).transport(transport)
                .timeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (body != null) {
            r.body(new BytesRequestContent("application/json", body));
        }
        try {
            return r.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", e);
        } catch (TimeoutException | ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ApiException("cannot reach the Partita service: " + c.getMessage(), e);
        }
    }

    /** Hands each event line to {@code sink} until the stream ends or {@code sink} throws. */
    public void events(Consumer<String> sink) throws ApiException {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        http.newRequest("http://localhost/v1/events").transport(transport).idleTimeout(1, TimeUnit.DAYS).send(listener);
        try {
            Response response = listener.get(30, TimeUnit.SECONDS);
            if (response.getStatus() != 200) {
                throw new ApiException(response.getStatus(), "event stream refused");
            }
            try (InputStream in = listener.getInputStream();
                 var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        sink.accept(line);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", e);
        } catch (TimeoutException | ExecutionException | IOException e) {
            throw new ApiException("event stream failed: " + e.getMessage(), e);
        }
    }

    private ContentResponse send(String method, String path, byte[] body) throws ApiException {
        ContentResponse r = raw(method, path, body);
        if (r.getStatus() / 100 != 2) {
            String message;
            try {
                message = JSON.readValue(r.getContent(), ApiError.class).error();
            } catch (IOException e) {
                message = "HTTP " + r.getStatus() + " " + r.getContentAsString();
            }
            throw new ApiException(r.getStatus(), message);
        }
        return r;
    }

    private static String vm(String name) {
        return "/v1/vms/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] encode(Object value) throws ApiException {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new ApiException("cannot encode the request: " + e.getMessage(), e);
        }
    }

    private static <T> T decode(ContentResponse r, TypeReference<T> type) throws ApiException {
        try {
            return JSON.readValue(r.getContent(), type);
        } catch (IOException e) {
            throw new ApiException(r.getStatus(), "the service sent an unreadable answer: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // the client's threads end with the process
        }
    }
}
