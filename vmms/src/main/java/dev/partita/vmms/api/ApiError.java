package dev.partita.vmms.api;

/** The body of every 4xx and 5xx answer of the API: one sentence naming the problem. */
public record ApiError(String error) {
}
