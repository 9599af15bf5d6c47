/**
 * The management service's REST API as its clients see it: the request and answer records (JSON through
 * Jackson) and {@link dev.partita.vmms.api.PartitaClient}, the client the {@code partita vm} verbs use.
 */
package dev.partita.vmms.api;
