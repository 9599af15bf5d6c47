package dev.partita.vmms.service;

import java.util.Map;

/**
 * A request as a route's action sees it.
 *
 * @param params path parameters ({@code name})
 * @param query  query parameters (first value of each)
 * @param body   the request body (empty when none)
 */
public record ApiCall(Map<String, String> params, Map<String, String> query, byte[] body) {
    /** The path parameter {@code key}. */
    public String param(String key) {
        return params.get(key);
    }
}
