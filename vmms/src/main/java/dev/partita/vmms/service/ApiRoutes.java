package dev.partita.vmms.service;

import dev.partita.vmms.api.VmSpec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The API's route table: every method and path the service answers, in the spelling of
 * {@code openapi.json} (a test checks that the two agree). Immutable.
 */
public final class ApiRoutes {
    /** Default time a graceful stop gives the guest before the VM is turned off. */
    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Default and largest console tail returned. */
    static final int CONSOLE_DEFAULT = 64 * 1024;
    static final int CONSOLE_MAX = 1024 * 1024;

    private ApiRoutes() {
    }

    /** The routes over {@code vms}, decoding bodies with {@code decoder}. */
    public static List<Route> of(VmManager vms, RequestDecoder decoder, ServiceMetrics metrics, byte[] openApi) {
        return List.of(
                new Route("GET", "/v1/vms", c -> Reply.ok(vms.list())),
                new Route("POST", "/v1/vms", c -> new Reply.Json(201, vms.create(decoder.createRequest(c.body())))),
                new Route("GET", "/v1/vms/{name}", c -> Reply.ok(vms.show(c.param("name")))),
                new Route("PATCH", "/v1/vms/{name}", c -> {
                    VmSpec current = vms.definition(c.param("name"));
                    return Reply.ok(vms.change(c.param("name"), decoder.patchRequest(c.body(), current)));
                }),
                new Route("DELETE", "/v1/vms/{name}", c -> {
                    vms.remove(c.param("name"));
                    return new Reply.Empty(204);
                }),
                new Route("POST", "/v1/vms/{name}/start", c -> Reply.ok(vms.start(c.param("name")))),
                new Route("POST", "/v1/vms/{name}/stop", c -> Reply.ok(vms.stop(c.param("name"), stopTimeout(c)))),
                new Route("POST", "/v1/vms/{name}/turn-off", c -> Reply.ok(vms.turnOff(c.param("name")))),
                new Route("POST", "/v1/vms/{name}/pause", c -> Reply.ok(vms.pause(c.param("name")))),
                new Route("POST", "/v1/vms/{name}/resume", c -> Reply.ok(vms.resume(c.param("name")))),
                new Route("GET", "/v1/vms/{name}/console", c -> "true".equals(c.query().get("follow"))
                        ? vms.followConsole(c.param("name"), intParam(c, "bytes", 0, 0, CONSOLE_MAX))
                        : new Reply.Bytes(200, "text/plain; charset=utf-8",
                                vms.console(c.param("name"), intParam(c, "bytes", CONSOLE_DEFAULT, 1, CONSOLE_MAX)))),
                new Route("POST", "/v1/vms/{name}/console/input", c -> Reply.ok(vms.consoleInput(c.param("name"), c.body()))),
                new Route("GET", "/v1/events", c -> new Reply.EventStream()),
                new Route("GET", "/metrics", c -> new Reply.Bytes(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8))),
                new Route("GET", "/openapi.json", c -> new Reply.Bytes(200, "application/json", openApi)));
    }

    private static Duration stopTimeout(ApiCall c) throws ServiceException {
        return Duration.ofSeconds(intParam(c, "timeout", (int) DEFAULT_STOP_TIMEOUT.toSeconds(), 0, 3600));
    }

    private static int intParam(ApiCall c, String key, int dflt, int min, int max) throws ServiceException {
        String v = c.query().get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ServiceException.badRequest("query parameter '" + key + "' must be " + min + "-" + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ServiceException.badRequest("query parameter '" + key + "' is not a number: '" + v + "'");
        }
    }
}
