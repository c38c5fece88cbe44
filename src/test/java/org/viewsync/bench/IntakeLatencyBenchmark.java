package org.viewsync.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * Acknowledgement latency of the webhook intake while Immuta is slow (200 ms a call) and then down (503): a fixed
 * rate of deliveries for a while, latency from send to answer. Prints p50, p99 and max; asserts nothing about time.
 * Not part of the test suite: run it with {@code ./mvnw -B verify -Pbenchmark}.
 */
class IntakeLatencyBenchmark {

    static final int RATE = Integer.getInteger("bench.rate", 200);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);

    @Test
    void intakeLatencyWhileImmutaIsSlowThenDown() throws Exception {
        TargetDatabase.POSTGRES.reset();
        TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS viewsync_bench_state CASCADE; CREATE SCHEMA viewsync_bench_state");
        FakeImmuta.reset();
        FakeImmuta.server().stubFor(any(urlPathMatching("/(dataSource|project).*")).atPriority(1)
                .willReturn(okJson("{}").withFixedDelay(200)));
        int port = Services.freePort();
        try (ConfigurableApplicationContext service = Services.start(Services.againstFakeImmuta(port,
                TargetDatabase.POSTGRES.url + "?currentSchema=viewsync_bench_state",
                // The production queue settings, not the test suite's quick ones.
                Map.of("viewsync.queue.poll-interval", "200ms", "viewsync.queue.coalesce-window", "1s",
                        "viewsync.queue.initial-backoff", "1s", "viewsync.queue.max-backoff", "5m")))) {
            // Warm-up, not reported: the JIT compiles the intake's hot paths, the pools fill.
            measure(port, 10);
            report("Immuta answering in 200 ms", measure(port, SECONDS));
            reportRoutes(service);
            FakeImmuta.server().stubFor(any(urlPathMatching("/(dataSource|project).*")).atPriority(1).willReturn(serviceUnavailable()));
            report("Immuta down (503)", measure(port, SECONDS));
            reportRoutes(service);
        }
    }

    /**
     * Open loop: deliveries are due at a fixed rate whatever the answers, for {@code seconds}, and each latency runs from when the
     * delivery was due, so a slow answer that delays later deliveries counts against them too.
     */
    private static List<Long> measure(int port, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService senders = Executors.newFixedThreadPool(64);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / RATE;
        for (long i = 0; i < (long) RATE * seconds; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long id = i + 1;
            senders.execute(() -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Notifications.dataSourcePolicyUpdated(id))).build();
                try {
                    http.send(request, HttpResponse.BodyHandlers.discarding());
                    latencies.add(System.nanoTime() - due);
                } catch (Exception e) {
                    latencies.add(Long.MAX_VALUE);
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted;
    }

    private static void report(String condition, List<Long> sorted) {
        System.out.printf("BENCHMARK intake, %s, %d requests/s for %d s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", condition, RATE,
                SECONDS, sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Where the time went inside the service, as Hawtio would show it. */
    private static void reportRoutes(ConfigurableApplicationContext service) {
        ManagedCamelContext managed = service.getBean(CamelContext.class).getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        for (String route : List.of("webhook-intake", "store-notification", "process-notification")) {
            System.out.printf("BENCHMARK   route %s: %d exchanges, mean %d ms, max %d ms%n", route,
                    managed.getManagedRoute(route).getExchangesTotal(), managed.getManagedRoute(route).getMeanProcessingTime(),
                    managed.getManagedRoute(route).getMaxProcessingTime());
        }
    }

    private static double percentile(List<Long> sorted, double fraction) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(fraction * sorted.size()) - 1)) / 1e6;
    }
}
