package org.viewsync.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * Acknowledgement latency of the webhook intake while Immuta is slow (200 ms a call) and then down (503): a fixed
 * rate of deliveries for a while, latency from send to answer. The service runs in its own JVM, as deployed; this JVM
 * holds the load generator and the fake Immuta. Prints p50, p99 and max; asserts nothing about time.
 * Not part of the test suite: run it with {@code ./mvnw -B verify -Pbenchmark}.
 */
class IntakeLatencyBenchmark {

    static final int RATE = Integer.getInteger("bench.rate", 200);
    static final String STATE_SCHEMA = "viewsync_bench_state";
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    /**
     * Deliveries at the measured rate before the measurement, not reported. On two shared cores C2 is still compiling
     * the intake's paths a minute after start; -Dbench.warmupSeconds=60 measures a service that has been running.
     */
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 10);
    /** The JVM options of the service's own process: those the Dockerfile runs it with, unless overridden. */
    static final List<String> SERVICE_JVM_OPTIONS = List.of(System.getProperty("bench.serviceJvm", dockerfileJavaOptions()).trim().split("\\s+"));

    /** The {@code JAVA_TOOL_OPTIONS} the Dockerfile sets for the service. */
    static String dockerfileJavaOptions() {
        try {
            return Files.readAllLines(Path.of("Dockerfile")).stream().filter(line -> line.startsWith("ENV JAVA_TOOL_OPTIONS="))
                    .map(line -> line.substring("ENV JAVA_TOOL_OPTIONS=".length()).replace("\"", "")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the Dockerfile sets no JAVA_TOOL_OPTIONS"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void intakeLatencyWhileImmutaIsSlowThenDown() throws Exception {
        TargetDatabase.POSTGRES.reset();
        TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS " + STATE_SCHEMA + " CASCADE; CREATE SCHEMA " + STATE_SCHEMA);
        FakeImmuta.reset();
        FakeImmuta.server().stubFor(any(urlPathMatching("/(dataSource|project).*")).atPriority(1)
                .willReturn(okJson("{}").withFixedDelay(200)));
        int port = Services.freePort();
        Path log = Files.createTempFile("intake-benchmark-service", ".log");
        System.out.printf("BENCHMARK service JVM options: %s (its log: %s)%n", SERVICE_JVM_OPTIONS, log);
        Process service = Services.startProcess(SERVICE_JVM_OPTIONS, port, Services.againstFakeImmuta(port,
                TargetDatabase.POSTGRES.url + "?currentSchema=" + STATE_SCHEMA,
                // The production queue settings, not the test suite's quick ones.
                Map.of("viewsync.queue.poll-interval", "200ms", "viewsync.queue.coalesce-window", "1s",
                        "viewsync.queue.initial-backoff", "1s", "viewsync.queue.max-backoff", "5m")), log);
        try {
            // Warm-up, not reported: the JIT compiles the intake's hot paths, the pools fill.
            measure(service, port, WARMUP_SECONDS);
            report("Immuta answering in 200 ms", measure(service, port, SECONDS));
            FakeImmuta.server().stubFor(any(urlPathMatching("/(dataSource|project).*")).atPriority(1).willReturn(serviceUnavailable()));
            report("Immuta down (503)", measure(service, port, SECONDS));
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
            // Its inbox holds the whole run's backlog; the test suite never reads it.
            TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS " + STATE_SCHEMA + " CASCADE");
        }
    }

    /** The latencies, sorted, and what the service and the whole machine spent meanwhile. */
    private record Measurement(List<Long> sorted, double serviceCpuSeconds, double machineBusySeconds, double seconds) {}

    private static Measurement measure(Process service, int port, int seconds) throws Exception {
        double serviceCpu = ServiceVsBaselineBenchmark.Instance.cpuSeconds(service);
        double machineBusy = ServiceVsBaselineBenchmark.Instance.machineBusySeconds();
        long start = System.nanoTime();
        List<Long> sorted = WebhookLoad.run(port, RATE, seconds, Notifications::dataSourcePolicyUpdated);
        return new Measurement(sorted, ServiceVsBaselineBenchmark.Instance.cpuSeconds(service) - serviceCpu,
                ServiceVsBaselineBenchmark.Instance.machineBusySeconds() - machineBusy, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The service's CPU is the intake's and the workers' together (the workers take at most 100 notifications a
     * second); the machine's includes the load generator, the fake Immuta and PostgreSQL.
     */
    private static void report(String condition, Measurement measurement) {
        List<Long> sorted = measurement.sorted();
        System.out.printf("BENCHMARK intake, %s, %d requests/s for %d s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms;"
                        + " service CPU %.2f ms a delivery, machine busy %.0f %% of both cores%n", condition, RATE, SECONDS, sorted.size(),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6,
                1000 * measurement.serviceCpuSeconds() / sorted.size(), 100 * measurement.machineBusySeconds() / (2 * measurement.seconds()));
    }

    private static double percentile(List<Long> sorted, double fraction) {
        return WebhookLoad.atFraction(sorted, fraction) / 1e6;
    }
}
