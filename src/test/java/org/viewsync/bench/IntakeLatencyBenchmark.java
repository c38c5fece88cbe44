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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
            report("Immuta answering in 200 ms", measure(port));
            reportRoutes(service);
            FakeImmuta.server().stubFor(any(urlPathMatching("/(dataSource|project).*")).atPriority(1).willReturn(serviceUnavailable()));
            report("Immuta down (503)", measure(port));
            reportRoutes(service);
        }
    }

    private static List<Long> measure(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> sent = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long[] sequence = {0};
        clock.scheduleAtFixedRate(() -> {
            long id = ++sequence[0];
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Notifications.dataSourcePolicyUpdated(id))).build();
            long start = System.nanoTime();
            sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenAccept(response -> latencies.add(System.nanoTime() - start)));
        }, 0, 1_000_000 / RATE, TimeUnit.MICROSECONDS);
        Thread.sleep(SECONDS * 1000L);
        clock.shutdownNow();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
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
