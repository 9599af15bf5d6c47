package dev.partita.vmms.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The service's metrics in the Prometheus text format ({@code GET /metrics}), through the Prometheus Java
 * client: VMs per state (read from the {@link VmManager} at each scrape) and API requests by method and
 * status. Thread-safe.
 */
public final class ServiceMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;

    public ServiceMetrics(Supplier<java.util.Map<VmState, Long>> vmsByState) {
        GaugeWithCallback.builder()
                .name("partita_vms")
                .help("VMs defined in the service, by state")
                .labelNames("state")
                .callback(cb -> vmsByState.get().forEach((s, n) -> cb.call(n, s.word())))
                .register(registry);
        requests = Counter.builder()
                .name("partita_api_requests_total")
                .help("API requests answered, by method and HTTP status")
                .labelNames("method", "status")
                .register(registry);
    }

    /** Counts one answered request. */
    public void requestAnswered(String method, int status) {
        requests.labelValues(method, Integer.toString(status)).inc();
    }

    /** Every metric in the Prometheus text exposition format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
