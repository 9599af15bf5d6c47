package dev.partita.vmms.service;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One API route: an HTTP method and a path template whose {@code {name}} segments are parameters, with the
 * action that answers it. Immutable.
 *
 * @param method   GET, POST, PATCH or DELETE
 * @param template e.g. {@code /v1/vms/{name}/start} (the same spelling as in openapi.json)
 * @param action   what answers the route
 */
public record Route(String method, String template, Action action) {

    /** What a route does with a decoded request. */
    @FunctionalInterface
    public interface Action {
        Reply apply(ApiCall call) throws ServiceException;
    }

    /** The path parameters when {@code path} matches this template, else empty. */
    public Optional<Map<String, String>> match(String path) {
        String[] want = template.split("/", -1);
        String[] have = path.split("/", -1);
        if (want.length != have.length) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (have[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(want[i].substring(1, want[i].length() - 1), have[i]);
            } else if (!want[i].equals(have[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
