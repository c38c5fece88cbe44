package org.viewsync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * The service against what a team would otherwise write from Immuta's guide (an inline handler, {@link InlineBaseline}),
 * side by side in one run, each in a JVM of its own, against the same fake Immuta ({@link BenchImmuta}, real HTTP,
 * a latency per call) and the same PostgreSQL, both held to the same number of Immuta calls in flight
 * ({@code -Dbench.immutaCap}, 32):
 * <ol>
 *   <li>intake: acknowledgement latency at 200 and 1,000 deliveries a second while Immuta answers in 200 ms;</li>
 *   <li>for each Immuta latency ({@code -Dbench.immutaLatencies}, 5 and 200 ms):
 *     <ul>
 *       <li>reconciliation of every view from an empty target, and again with nothing changed (the service only);</li>
 *       <li>burst: a global policy change over {@code dataSources} data sources in {@code projects} equalized projects
 *           each, delivered as one {@code policyUpdated} per data source: time until every view holds the new SQL,
 *           Immuta calls and the most in flight at once, DDL statements, CPU per view, peak heap and RSS; per burst
 *           its ramp (when its calls in flight came near the cap) and the cores used and JIT compiling in its first
 *           seconds;</li>
 *       <li>the same burst again while 200 other notifications a second arrive ({@code -Dbench.burstIntakeRate}):
 *           their acknowledgement latency, and the burst's time under that load.</li>
 *     </ul></li>
 * </ol>
 * Each figure is printed next to its floor (what Immuta's latency and the cap allow at best), its target and a verdict,
 * in one Markdown table at the end; charts go to docs/bench/*.png. Run with {@code ./mvnw -B verify -Pbenchmark}.
 */
class ServiceVsBaselineBenchmark {

    static final int DATA_SOURCES = Integer.getInteger("bench.dataSources", 1000);
    static final int PROJECTS = Integer.getInteger("bench.projects", 10);
    static final int INTAKE_SECONDS = Integer.getInteger("bench.intakeSeconds", 30);
    /** The service's warm-up before each intake measurement: the JIT is still compiling the intake well after 10 s. */
    static final int WARMUP_SECONDS = IntakeLatencyBenchmark.WARMUP_SECONDS;
    static final List<Integer> RATES = List.of(200, 1000);
    /** Immuta gives up on a delivery after 10 seconds and never retries it. */
    static final long IMMUTA_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** -Dbench.burst=false measures the intake only; -Dbench.rate=200 one rate only. */
    static final boolean BURST = Boolean.parseBoolean(System.getProperty("bench.burst", "true"));
    /**
     * -Dbench.bursts=3 repeats each burst, the service's and then the baseline's, and reports the median with the
     * spread (min–max): runs on one machine vary by a fifth, the baseline's more than the service's.
     */
    static final int BURSTS = Integer.getInteger("bench.bursts", 1);
    /** -Dbench.intake=false skips the intake phase. */
    static final boolean INTAKE = Boolean.parseBoolean(System.getProperty("bench.intake", "true"));
    /**
     * Immuta's latency per call in the reconciliations and bursts, one phase each: 5 ms (the earlier issues' figure)
     * and 200 ms (a real Immuta answers in tens to hundreds of ms). -Dbench.immutaLatencies=200 runs one.
     */
    static final List<Integer> LATENCIES = Arrays.stream(System.getProperty("bench.immutaLatencies", "5,200").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    /**
     * Immuta calls in flight at once, at most, for the service ({@code immuta.max-concurrent-calls}) and the baseline
     * alike: Immuta is shared, and the floors follow from it.
     */
    static final int IMMUTA_CAP = Integer.getInteger("bench.immutaCap", 32);
    /** -Dbench.immutaLimit=40: Immuta answers 429 with Retry-After beyond that many calls in flight (off by default). */
    static final int IMMUTA_LIMIT = Integer.getInteger("bench.immutaLimit", 0);
    /** Other notifications a second during the second burst of each round; 0 leaves that burst out. */
    static final int BURST_INTAKE_RATE = Integer.getInteger("bench.burstIntakeRate", 200);
    /** A burst not converged by then is reported as such. */
    static final int BURST_TIMEOUT_SECONDS = Integer.getInteger("bench.burstTimeoutSeconds", 900);
    /** A burst's first seconds, whose use of the cores is reported on its own: there the service's calls ramp up. */
    static final int START_SECONDS = 10;
    /** How far above its floor a figure may be and still meet its target. */
    static final double FLOOR_SLACK = 1.3;
    static final double INTAKE_P99_TARGET_MS = 50;
    static final double CPU_RATIO_TARGET = 2;
    static final String SERVICE_SCHEMA = "bench_views";
    static final String BASELINE_SCHEMA = "bench_baseline_views";
    static final Path CHARTS = Path.of("docs", "bench");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> table = new ArrayList<>();
    private final Map<String, List<Long>> intakeLatencies = new LinkedHashMap<>();

    @Test
    void serviceAgainstInlineBaseline() throws Exception {
        Files.createDirectories(CHARTS);
        // Thousands of views depend on the source table: they go first, one by one (see dropSchema). The first reset
        // creates the test database on a fresh machine.
        TargetDatabase.POSTGRES.createIfMissing();
        Instance.dropSchema(SERVICE_SCHEMA);
        Instance.dropSchema(BASELINE_SCHEMA);
        TargetDatabase.POSTGRES.reset();
        row("| Measure | Service | Inline baseline | Service / baseline | Floor | Target | Verdict |");
        row("|---|---|---|---|---|---|---|");
        // Without autovacuum the service's state tables keep every dead row, and its queue claims read them all: a
        // machine set up for tests may run PostgreSQL so, production rarely does.
        row(cells("PostgreSQL autovacuum (state and target)", TargetDatabase.POSTGRES.query("SHOW autovacuum").get(0).get("autovacuum"),
                "", "", "", "", ""));
        row(cells("Immuta calls in flight allowed (cap) / 429 beyond", IMMUTA_CAP + " / " + (IMMUTA_LIMIT > 0 ? IMMUTA_LIMIT : "off"),
                IMMUTA_CAP + " / " + (IMMUTA_LIMIT > 0 ? IMMUTA_LIMIT : "off"), "", "", "", ""));
        try {
            if (INTAKE) {
                try (BenchImmuta immuta = new BenchImmuta(DATA_SOURCES, PROJECTS, 200, IMMUTA_LIMIT)) {
                    intake(immuta);
                }
                drawIntakeChart();
            }
            if (BURST) {
                for (int latency : LATENCIES) {
                    latencyPhase(latency);
                }
            }
        } finally {
            // Leave the test database as the test suite expects it: its reset cascades from the source table.
            Instance.dropSchema(SERVICE_SCHEMA);
            Instance.dropSchema(BASELINE_SCHEMA);
        }
        System.out.println("BENCHMARK results");
        table.forEach(line -> System.out.println("BENCHMARK " + line));
    }

    /** A row of the results table, printed at once too: a run that fails later keeps what it measured. */
    private void row(String line) {
        table.add(line);
        System.out.println("BENCHMARK row " + line);
    }

    private static String cells(Object... cells) {
        StringBuilder line = new StringBuilder("|");
        for (Object cell : cells) {
            line.append(' ').append(cell).append(" |");
        }
        return line.toString();
    }

    private void intake(BenchImmuta immuta) throws Exception {
        for (int rate : Integer.getInteger("bench.rate") == null ? RATES : List.of(Integer.getInteger("bench.rate"))) {
            Map<String, List<Long>> measured = new LinkedHashMap<>();
            try (Instance service = Instance.service(immuta, "bench_intake_state_" + rate, Map.of())) {
                // Warm-up, not reported: the JIT compiles the intake's hot paths, the pools fill. The baseline gets none:
                // its backlog would outlast the warm-up, and its seconds of latency are not the JIT's.
                load(service.port, rate, WARMUP_SECONDS);
                measured.put("service", load(service.port, rate, INTAKE_SECONDS));
            }
            try (Instance baseline = Instance.baseline(immuta)) {
                measured.put("baseline", load(baseline.port, rate, INTAKE_SECONDS));
            }
            for (String metric : List.of("p50", "p99", "max", "over Immuta's 10 s or failed")) {
                row(cells("Intake at " + rate + "/s, Immuta 200 ms, no burst: " + metric, describe(measured.get("service"), metric),
                        describe(measured.get("baseline"), metric), ratio(measured.get("service"), measured.get("baseline"), metric), "", "", ""));
            }
            measured.forEach((implementation, latencies) -> intakeLatencies.put(implementation + " at " + rate + "/s", latencies));
        }
        intakeWhileTargetDown(immuta);
    }

    /** Issue 4's other condition: the target database refuses connections, so every view task fails and is retried. */
    private void intakeWhileTargetDown(BenchImmuta immuta) throws Exception {
        int rate = 200;
        try (Instance service = Instance.service(immuta, "bench_intake_state_target_down",
                Map.of("viewsync.targets.pg.url", "jdbc:postgresql://127.0.0.1:1/refused"))) {
            load(service.port, rate, WARMUP_SECONDS);
            List<Long> latencies = load(service.port, rate, INTAKE_SECONDS);
            row(cells("Intake at " + rate + "/s, Immuta 200 ms, target down: p50 / p99 / max", describe(latencies, "p50") + " / "
                    + describe(latencies, "p99") + " / " + describe(latencies, "max"), "n/a", "", "", "", ""));
        }
    }

    /**
     * What Immuta's latency and the cap allow at best: a phase that must make {@code calls} Immuta calls, each taking
     * {@code latency}, at most {@code cap} at once, takes at least calls × latency / cap.
     */
    record Floors(int dataSources, int projects, int latencyMillis, int cap) {

        int views() {
            return dataSources * projects;
        }

        double seconds(long calls) {
            return calls * latencyMillis / 1000.0 / cap;
        }

        /** The issue's burst floor: one view-SQL call per view. */
        double burst() {
            return seconds(views());
        }

        /** Every call a data source's policyUpdated needs: the data source, its equalized projects, a view SQL per view. */
        long burstCalls() {
            return views() + dataSources + (long) dataSources * pages(projects);
        }

        /**
         * A reconciliation lists the equalized projects and each one's data sources (pages of 100), fetches each
         * data source once and asks each view's SQL once: to compare it when a view is recorded, or through the view
         * task that writes a view missing from the target.
         */
        long reconciliationCalls() {
            return pages(projects) + (long) projects * pages(dataSources) + dataSources + views();
        }

        String reconciliationFormula() {
            return String.format("%.1f s = (⌈P/100⌉ + P⌈D/100⌉ + D + V = %,d calls) × %d ms / %d", seconds(reconciliationCalls()),
                    reconciliationCalls(), latencyMillis, cap);
        }

        private static long pages(int items) {
            return (items + 99) / 100;
        }
    }

    /** Reconciliations and bursts at one Immuta latency, each against its floor. */
    private void latencyPhase(int latency) throws Exception {
        int dataSources = Integer.getInteger("bench.dataSources." + latency + "ms", DATA_SOURCES);
        int projects = Integer.getInteger("bench.projects." + latency + "ms", PROJECTS);
        Floors floors = new Floors(dataSources, projects, latency, IMMUTA_CAP);
        int views = floors.views();
        String phase = "Immuta " + latency + " ms, " + String.format("%,d", views) + " views (" + dataSources + " x " + projects + ")";
        System.out.println("BENCHMARK phase " + phase);
        Map<String, List<double[]>> convergence = new LinkedHashMap<>();
        try (BenchImmuta immuta = new BenchImmuta(dataSources, projects, latency, IMMUTA_LIMIT);
                Instance service = Instance.service(immuta, "bench_burst_state", Map.of())) {
            reconciliations(service, immuta, floors, phase);
            List<Burst> serviceQuiet = new ArrayList<>();
            List<Burst> baselineQuiet = new ArrayList<>();
            List<Burst> serviceLoaded = new ArrayList<>();
            List<Burst> baselineLoaded = new ArrayList<>();
            // The baseline's process lives through every round: its first burst creates its views from nothing in a
            // fresh JVM, later ones replace them warm, as the service's always do.
            try (Instance baseline = Instance.baseline(immuta)) {
                for (int round = 1; round <= BURSTS; round++) {
                    int version = immuta.changePolicy();
                    serviceQuiet.add(burst(service, SERVICE_SCHEMA, version, floors, immuta, 0));
                    baselineQuiet.add(burst(baseline, BASELINE_SCHEMA, version, floors, immuta, 0));
                    if (BURST_INTAKE_RATE > 0) {
                        version = immuta.changePolicy();
                        serviceLoaded.add(burst(service, SERVICE_SCHEMA, version, floors, immuta, BURST_INTAKE_RATE));
                        baselineLoaded.add(burst(baseline, BASELINE_SCHEMA, version, floors, immuta, BURST_INTAKE_RATE));
                    }
                }
            }
            reportBursts(phase, floors, serviceQuiet, baselineQuiet, serviceLoaded, baselineLoaded);
            Map<String, List<double[]>> inFlight = new LinkedHashMap<>();
            inFlight.put("service", serviceQuiet.get(0).inFlight);
            inFlight.put("inline baseline", baselineQuiet.get(0).inFlight);
            drawInFlightChart(inFlight, floors);
            convergence.put("service", serviceQuiet.get(0).convergence);
            convergence.put("inline baseline", baselineQuiet.get(0).convergence);
            if (!serviceLoaded.isEmpty()) {
                convergence.put("service, " + BURST_INTAKE_RATE + " other deliveries/s", serviceLoaded.get(0).convergence);
                convergence.put("inline baseline, " + BURST_INTAKE_RATE + " other deliveries/s", baselineLoaded.get(0).convergence);
            }
        }
        drawConvergenceChart(convergence, floors);
    }

    private void reconciliations(Instance service, BenchImmuta immuta, Floors floors, String phase) throws Exception {
        int views = floors.views();
        double floor = floors.seconds(floors.reconciliationCalls());
        immuta.resetCounts();
        long ddlBefore = service.viewsChanged();
        long started = System.nanoTime();
        service.reconcile();
        double fromEmpty = seconds(started);
        long ddl = service.viewsChanged() - ddlBefore;
        int holding = viewsHolding(SERVICE_SCHEMA, immuta.policyVersion());
        row(cells("Reconciliation from an empty target, " + phase, String.format("%.1f s (%.2f× floor), %,d DDL, %,d of %,d views; Immuta calls %s, most in flight %d",
                fromEmpty, fromEmpty / floor, ddl, holding, views, calls(immuta.calls()), immuta.mostInFlight()), "n/a (no reconciliation)", "",
                floors.reconciliationFormula(), String.format("≤ %.1f s, every view", FLOOR_SLACK * floor),
                verdict(fromEmpty <= FLOOR_SLACK * floor && holding == views)));

        immuta.resetCounts();
        ddlBefore = service.viewsChanged();
        started = System.nanoTime();
        service.reconcile();
        double unchanged = seconds(started);
        ddl = service.viewsChanged() - ddlBefore;
        row(cells("Reconciliation again, nothing changed, " + phase, String.format("%.1f s (%.2f× floor), %,d DDL; Immuta calls %s, most in flight %d",
                unchanged, unchanged / floor, ddl, calls(immuta.calls()), immuta.mostInFlight()), "n/a", "", floors.reconciliationFormula(),
                String.format("< %.1f s, 0 DDL", FLOOR_SLACK * floor), verdict(unchanged < FLOOR_SLACK * floor && ddl == 0)));
    }

    private void reportBursts(String phase, Floors floors, List<Burst> service, List<Burst> baseline, List<Burst> serviceLoaded,
            List<Burst> baselineLoaded) {
        int views = floors.views();
        double floor = floors.burst();
        String burstFloor = String.format("%.1f s = V × %d ms / %d", floor, floors.latencyMillis(), floors.cap());
        String of = BURSTS > 1 ? " (median of " + BURSTS + ", min–max)" : "";
        row(cells("Burst, " + phase + ": converged" + of, converged(service, floor), converged(baseline, floor),
                spread(service, baseline, burst -> burst.seconds, "%.2f"), burstFloor + String.format("; all calls: %.1f s", floors.seconds(floors.burstCalls())),
                String.format("≤ %.1f s (%.1f× floor)", FLOOR_SLACK * floor, FLOOR_SLACK), verdict(allConverged(service) && median(service, b -> b.seconds) <= FLOOR_SLACK * floor)));
        row(cells("Burst: no slower than the inline baseline, same cap", "", "", spread(service, baseline, burst -> burst.seconds, "%.2f"), "", "≤ 1.00",
                verdict(allConverged(service) && median(service, b -> b.seconds) <= median(baseline, b -> b.seconds))));
        row(cells("Burst: view-SQL calls / DDL statements", spread(service, b -> b.calls.getOrDefault("viewSql", 0L), "%,.0f") + " / "
                + spread(service, b -> b.ddl, "%,.0f"), spread(baseline, b -> b.calls.getOrDefault("viewSql", 0L), "%,.0f") + " / "
                + spread(baseline, b -> b.ddl, "%,.0f"), "", String.format("%,d / %,d", views, views), "one view SQL and at most one DDL per view",
                verdict(service.stream().allMatch(b -> b.calls.getOrDefault("viewSql", 0L) == views && b.ddl <= views))));
        row(cells("Burst: views holding the new SQL afterwards", spread(service, b -> b.holding, "%,.0f") + String.format(" of %,d", views),
                spread(baseline, b -> b.holding, "%,.0f") + String.format(" of %,d", views), "", "", "every view", verdict(service.stream().allMatch(b -> b.holding == views))));
        row(cells("Burst: Immuta calls (first burst)", service.get(0).callsSaid(), baseline.get(0).callsSaid(), "",
                String.format("%,d needed: V + D + D⌈P/100⌉", floors.burstCalls()), "", ""));
        row(cells("Burst: Immuta calls in flight, mean (the calls' time in Immuta / the burst's)", spread(service, Burst::meanInFlight, "%.1f"),
                spread(baseline, Burst::meanInFlight, "%.1f"), "", String.valueOf(IMMUTA_CAP), "", ""));
        row(cells("Burst: Immuta calls in flight at once, most", spread(service, b -> b.mostInFlight, "%,.0f"), spread(baseline, b -> b.mostInFlight, "%,.0f"), "",
                "", "≤ " + IMMUTA_CAP, verdict(service.stream().allMatch(b -> b.mostInFlight <= IMMUTA_CAP) && baseline.stream().allMatch(b -> b.mostInFlight <= IMMUTA_CAP))));
        double cpuRatio = median(service, Burst::cpuPerView) / median(baseline, Burst::cpuPerView);
        row(cells("Burst: CPU per view (process CPU / views)", spread(service, b -> 1000 * b.cpuPerView(), "%.2f") + " ms",
                spread(baseline, b -> 1000 * b.cpuPerView(), "%.2f") + " ms", spread(service, baseline, Burst::cpuPerView, "%.2f"), "",
                "≤ " + String.format("%.0f", CPU_RATIO_TARGET) + "× baseline", verdict(cpuRatio <= CPU_RATIO_TARGET)));
        row(cells("Burst: CPU of the process / of the machine / available (first burst)", service.get(0).cpu(), baseline.get(0).cpu(), "", "", "", ""));
        row(cells("Burst: peak heap used / peak RSS (first burst)", service.get(0).memory(), baseline.get(0).memory(), "", "", "", ""));
        row(cells("Burst: each burst, converged / the calls in flight first at 90 % of the cap", each(service, Burst::ramp), each(baseline, Burst::ramp),
                "", "", "", ""));
        row(cells("Burst: first " + START_SECONDS + " s, cores busy: the process / the machine, and the process's JIT compiler threads' time per"
                + " second (each burst)", each(service, Burst::start), each(baseline, Burst::start), "", "", "", ""));
        if (serviceLoaded.isEmpty()) {
            return;
        }
        String load = "Burst with " + BURST_INTAKE_RATE + " other deliveries/s, " + phase;
        row(cells(load + ": converged" + of, converged(serviceLoaded, floor), converged(baselineLoaded, floor),
                spread(serviceLoaded, baselineLoaded, burst -> burst.seconds, "%.2f"), burstFloor, String.format("≤ %.1f s", FLOOR_SLACK * floor),
                verdict(allConverged(serviceLoaded) && median(serviceLoaded, b -> b.seconds) <= FLOOR_SLACK * floor)));
        row(cells(load + ": acknowledgement p50 / p99 / max", intake(serviceLoaded), intake(baselineLoaded), "", "",
                String.format("p99 < %.0f ms", INTAKE_P99_TARGET_MS), verdict(median(serviceLoaded, b -> value(b.intake, "p99")) < INTAKE_P99_TARGET_MS)));
        row(cells(load + ": deliveries over Immuta's 10 s or failed", spread(serviceLoaded, b -> failed(b.intake), "%,.0f") + " of "
                + spread(serviceLoaded, b -> b.intake.size(), "%,.0f"), spread(baselineLoaded, b -> failed(b.intake), "%,.0f") + " of "
                + spread(baselineLoaded, b -> b.intake.size(), "%,.0f"), "", "", "0", verdict(serviceLoaded.stream().allMatch(b -> failed(b.intake) == 0))));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    private static boolean allConverged(List<Burst> bursts) {
        return bursts.stream().allMatch(burst -> burst.holding == burst.views);
    }

    /** Seconds to converge and how far above the floor, or how far a burst got when it timed out. */
    private static String converged(List<Burst> bursts, double floor) {
        Burst unfinished = bursts.stream().filter(burst -> burst.converged < burst.views).findFirst().orElse(null);
        if (unfinished != null) {
            return String.format("not converged in %.0f s: %,d of %,d views", unfinished.seconds, unfinished.converged, unfinished.views);
        }
        return spread(bursts, burst -> burst.seconds, "%.1f") + " s (" + String.format("%.2f", median(bursts, burst -> burst.seconds) / floor) + "× floor)";
    }

    /** A percentile past Immuta's 10 s, or of deliveries never answered, is infinite: "timed out". */
    private static String intake(List<Burst> bursts) {
        return (spread(bursts, b -> value(b.intake, "p50"), "%.1f") + " / " + spread(bursts, b -> value(b.intake, "p99"), "%.1f") + " / "
                + spread(bursts, b -> value(b.intake, "max"), "%.1f") + " ms").replace("Infinity", "timed out");
    }

    private static long failed(List<Long> latencies) {
        return latencies.stream().filter(latency -> latency > IMMUTA_TIMEOUT_NANOS).count();
    }

    /** The figure of one burst, or the median of several with their range. */
    private static String spread(List<Burst> bursts, ToDoubleFunction<Burst> measure, String format) {
        double[] values = bursts.stream().mapToDouble(measure).sorted().toArray();
        String median = String.format(format, median(bursts, measure));
        return values.length == 1 ? median : median + " (" + String.format(format, values[0]) + "–" + String.format(format, values[values.length - 1]) + ")";
    }

    /** Service over baseline, burst by burst of the same round: median and range. */
    private static String spread(List<Burst> service, List<Burst> baseline, ToDoubleFunction<Burst> measure, String format) {
        double[] ratios = new double[service.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = measure.applyAsDouble(service.get(i)) / measure.applyAsDouble(baseline.get(i));
        }
        Arrays.sort(ratios);
        double median = ratios.length % 2 == 1 ? ratios[ratios.length / 2] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
        return ratios.length == 1 ? String.format(format, median)
                : String.format(format, median) + " (" + String.format(format, ratios[0]) + "–" + String.format(format, ratios[ratios.length - 1]) + ")";
    }

    private static String calls(Map<String, Long> calls) {
        return String.format("%,d %s", total(calls), calls);
    }

    /**
     * Delivers one policyUpdated per data source within a second, then waits until the implementation has run a DDL
     * statement for every view (its own count, cheap to sample), and checks in the target that every view holds the
     * new SQL. With {@code intakeRate} above 0, other notifications arrive at that rate from before the burst (a
     * warm-up, not reported) until it has converged, and their acknowledgement latency is the burst's intake figure.
     */
    private Burst burst(Instance instance, String schema, int version, Floors floors, BenchImmuta immuta, int intakeRate) throws Exception {
        int views = floors.views();
        Burst burst = new Burst(views);
        ExecutorService background = Executors.newCachedThreadPool();
        WebhookLoad intake = new WebhookLoad("localhost", instance.port, 64);
        Future<List<Long>> intakeLatencies = null;
        try {
            if (intakeRate > 0) {
                // The intake's hot paths compiled and its pools filled, as in a service that has been running; then
                // the backlog of that warm-up worked off, so that the burst's notifications do not wait behind it.
                load(instance.port, intakeRate, WARMUP_SECONDS, ServiceVsBaselineBenchmark::otherNotification);
                instance.awaitInboxEmpty();
                intakeLatencies = background.submit(() -> intake.run(intakeRate, BURST_TIMEOUT_SECONDS + 60, ServiceVsBaselineBenchmark::otherNotification));
            }
            immuta.resetCounts(instance.userAgent());
            Instance.Sample before = instance.sample();
            long ddlBefore = before.ddl();
            double cpuBefore = instance.cpuSeconds();
            double machineBefore = Instance.machineBusySeconds();
            long started = System.nanoTime();
            // As Immuta sends them: each delivery on its own connection, none waiting for another to be answered.
            Future<List<Long>> deliveries = background.submit(() -> {
                try (WebhookLoad load = new WebhookLoad("localhost", instance.port, floors.dataSources())) {
                    return load.run(floors.dataSources(), 1, Notifications::dataSourcePolicyUpdated);
                }
            });
            double sampledAt = 0;
            double callSecondsThen = 0;
            while (burst.converged < views && seconds(started) < BURST_TIMEOUT_SECONDS) {
                TimeUnit.MILLISECONDS.sleep(500);
                Instance.Sample sample = instance.sample();
                double now = seconds(started);
                double callSeconds = immuta.callSeconds();
                burst.converged = sample.ddl() - ddlBefore;
                burst.convergence.add(new double[] {now, burst.converged});
                burst.inFlight.add(new double[] {now, (callSeconds - callSecondsThen) / (now - sampledAt)});
                sampledAt = now;
                callSecondsThen = callSeconds;
                burst.peakHeap = Math.max(burst.peakHeap, sample.heapUsed());
                if (burst.start == null && now >= START_SECONDS) {
                    burst.start = new Start((instance.cpuSeconds() - cpuBefore) / now, (Instance.machineBusySeconds() - machineBefore) / now,
                            (sample.compilationSeconds() - before.compilationSeconds()) / now);
                }
            }
            burst.seconds = seconds(started);
            burst.callSeconds = immuta.callSeconds();
            burst.cpuSeconds = instance.cpuSeconds() - cpuBefore;
            burst.machineBusySeconds = Instance.machineBusySeconds() - machineBefore;
            burst.peakRss = instance.peakRss();
            burst.calls = immuta.calls();
            burst.mostInFlight = immuta.mostInFlight();
            burst.otherCalls = immuta.otherCalls();
            if (intakeLatencies != null) {
                intake.stop();
                burst.intake = intakeLatencies.get();
            }
            deliveries.get();
            burst.holding = viewsHolding(schema, version);
            burst.ddl = instance.ddl() - ddlBefore;
            // The next burst starts with an empty inbox, and the other implementation's on cores of its own.
            instance.awaitInboxEmpty();
        } finally {
            intake.stop();
            background.shutdownNow();
            intake.close();
        }
        return burst;
    }

    /**
     * A notification the service stores and acknowledges as it would any other (the same intake, the same commit to
     * its inbox), but whose workflow has nothing to do: a policy change of a model that has no views. It makes no
     * Immuta call, so it takes none of the cap from the burst (a real one would, 200 a second at 200 ms being 40 in
     * flight, beyond the cap), and the burst's floor stays what it is. The baseline answers it at once.
     */
    static String otherNotification(long i) {
        return Notifications.other("policyUpdated", "purpose", i, null);
    }

    private static List<Long> load(int port, int rate, int seconds) throws Exception {
        return load(port, rate, seconds, i -> Notifications.dataSourcePolicyUpdated(1 + (i - 1) % DATA_SOURCES));
    }

    private static List<Long> load(int port, int rate, int seconds, java.util.function.LongFunction<String> notification) throws Exception {
        return WebhookLoad.run(port, rate, seconds, notification);
    }

    private static int viewsHolding(String schema, int version) {
        int holding = 0;
        for (int offset = 0; ; offset += 500) {
            List<Map<String, Object>> chunk = TargetDatabase.POSTGRES.query("SELECT count(*) AS total, count(*) FILTER (WHERE"
                    + " pg_get_viewdef(v.oid) LIKE '%''p" + version + "''::text AS policy_version%') AS holding FROM (SELECT c.oid FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' AND c.relkind = 'v'"
                    + " ORDER BY c.oid LIMIT 500 OFFSET " + offset + ") v");
            holding += ((Number) chunk.get(0).get("holding")).intValue();
            if (((Number) chunk.get(0).get("total")).intValue() < 500) {
                return holding;
            }
        }
    }

    private static String describe(List<Long> latencies, String metric) {
        long failed = latencies.stream().filter(latency -> latency > IMMUTA_TIMEOUT_NANOS).count();
        if (metric.startsWith("over")) {
            return failed + " of " + latencies.size();
        }
        double value = value(latencies, metric);
        return Double.isInfinite(value) ? "timed out" : String.format("%.1f ms", value);
    }

    private static double value(List<Long> latencies, String metric) {
        List<Long> answered = latencies.stream().filter(latency -> latency != Long.MAX_VALUE).toList();
        if (metric.equals("max") && answered.size() < latencies.size() || answered.isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        double fraction = switch (metric) {
            case "p50" -> 0.50;
            case "p99" -> 0.99;
            default -> 1.0;
        };
        // A failed delivery counts as the slowest: it sorts last.
        long latency = WebhookLoad.atFraction(latencies, fraction);
        return latency == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : latency / 1e6;
    }

    private static String ratio(List<Long> service, List<Long> baseline, String metric) {
        if (metric.startsWith("over")) {
            return "";
        }
        double denominator = value(baseline, metric);
        return Double.isInfinite(denominator) ? "baseline timed out" : String.format("%.3f", value(service, metric) / denominator);
    }

    private static double median(List<Burst> bursts, ToDoubleFunction<Burst> measure) {
        double[] values = bursts.stream().mapToDouble(measure).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void drawIntakeChart() throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Webhook acknowledgement latency, Immuta at 200 ms")
                .xAxisTitle("percentile").yAxisTitle("latency (ms, log); 10,000 = Immuta gave up (10 s) or no answer").build();
        chart.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("0");
        // Every tenth of a percentile, and every hundredth in the last one, where the tail is. The uneven steps also
        // keep XChart from putting a labelled tick on every few points, as it does when the x values are evenly spaced.
        List<Double> percentiles = new ArrayList<>();
        for (int step = 1; step <= 990; step++) {
            percentiles.add(step / 10.0);
        }
        for (int step = 9901; step <= 10000; step++) {
            percentiles.add(step / 100.0);
        }
        intakeLatencies.forEach((series, latencies) -> {
            List<Double> values = new ArrayList<>();
            for (double percentile : percentiles) {
                long latency = WebhookLoad.atFraction(latencies, percentile / 100);
                values.add(Math.max(0.1, latency > IMMUTA_TIMEOUT_NANOS ? 10_000 : latency / 1e6));
            }
            chart.addSeries(series, percentiles, values);
        });
        BitmapEncoder.saveBitmap(chart, CHARTS.resolve("intake-latency.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Views converged over time, one chart per Immuta latency, with the floor as a line. */
    private static void drawConvergenceChart(Map<String, List<double[]>> convergence, Floors floors) throws IOException {
        XYChart chart = burstChart("Views holding the new policy after a global change", "views converged", Styler.LegendPosition.InsideSE,
                convergence, floors);
        chart.addSeries(String.format("floor: V × %d ms / %d = %.1f s", floors.latencyMillis(), floors.cap(), floors.burst()),
                List.of(0.0, floors.burst()), List.of(0.0, (double) floors.views())).setMarker(new org.knowm.xchart.style.markers.None());
        BitmapEncoder.saveBitmap(chart, CHARTS.resolve("burst-convergence-" + floors.latencyMillis() + "ms.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }

    /** Where a burst left Immuta's call slots unused: the mean calls in flight per half second, against the cap. */
    private static void drawInFlightChart(Map<String, List<double[]>> inFlight, Floors floors) throws IOException {
        XYChart chart = burstChart("Immuta calls in flight during the burst", "calls in flight, mean per 0.5 s", Styler.LegendPosition.InsideS,
                inFlight, floors);
        double end = inFlight.values().stream().flatMap(List::stream).mapToDouble(point -> point[0]).max().orElse(1);
        chart.addSeries("cap: " + floors.cap(), List.of(0.0, end), List.of((double) floors.cap(), (double) floors.cap()))
                .setMarker(new org.knowm.xchart.style.markers.None());
        BitmapEncoder.saveBitmap(chart, CHARTS.resolve("burst-in-flight-" + floors.latencyMillis() + "ms.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }

    /** A chart of figures over a burst's time, one series per implementation (and setting), in the map's order. */
    private static XYChart burstChart(String subject, String yAxisTitle, Styler.LegendPosition legend, Map<String, List<double[]>> series,
            Floors floors) {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(subject + " (" + String.format("%,d", floors.views()) + " views, Immuta " + floors.latencyMillis() + " ms, cap "
                        + floors.cap() + ")")
                .xAxisTitle("seconds since the first notification").yAxisTitle(yAxisTitle).build();
        chart.getStyler().setLegendPosition(legend).setMarkerSize(3);
        series.forEach((name, points) -> chart.addSeries(name, points.stream().map(point -> point[0]).toList(),
                points.stream().map(point -> point[1]).toList()));
        return chart;
    }

    private static final class Burst {
        final int views;
        long converged;
        double seconds;
        int holding;
        long peakHeap;
        long peakRss;
        double cpuSeconds;
        double machineBusySeconds;
        long ddl;
        int mostInFlight;
        /** The measured calls' time in Immuta, summed over the calls. */
        double callSeconds;
        /** The calls the other process made meanwhile (the idle service checks its webhook), not counted above. */
        Map<String, Long> otherCalls = Map.of();
        Map<String, Long> calls;
        /** The burst's first {@link #START_SECONDS}; null for a burst that ended sooner. */
        Start start;
        /** Acknowledgement latencies of the other notifications during the burst, sorted; empty without them. */
        List<Long> intake = List.of();
        final List<double[]> convergence = new ArrayList<>();
        /**
         * Per interval between two samples, at its end: the time of the calls that ended in it, per second of it. A call
         * counts whole where it ends, so a ramp shows about one call's latency late and an interval can read above the cap.
         */
        final List<double[]> inFlight = new ArrayList<>();

        Burst(int views) {
            this.views = views;
            convergence.add(new double[] {0, 0});
        }

        double meanInFlight() {
            return callSeconds / seconds;
        }

        String callsSaid() {
            return calls(calls) + (otherCalls.isEmpty() ? "" : "; the other process meanwhile: " + calls(otherCalls));
        }

        double cpuPerView() {
            return cpuSeconds / views;
        }

        /** CPU seconds of the implementation's process, and of the whole machine (both cores, every process). */
        String cpu() {
            return String.format("%.1f s / %.1f s of %.1f s", cpuSeconds, machineBusySeconds, 2 * seconds);
        }

        String memory() {
            return (peakHeap > 0 ? peakHeap / (1024 * 1024) + " MiB" : "n/a") + " / " + peakRss / 1024 + " MiB";
        }

        String start() {
            return start == null ? "n/a" : String.format("%.2f / %.2f, JIT %.2f s/s", start.processCores(), start.machineCores(),
                    start.compilingPerSecond());
        }

        /** The burst's time, and when the calls in flight over a half second first came to 90 % of the cap: its ramp. */
        String ramp() {
            return String.format("%.1f s / ", seconds) + inFlight.stream().filter(sample -> sample[1] >= 0.9 * IMMUTA_CAP).findFirst()
                    .map(sample -> String.format("%.1f s", sample[0])).orElse("never");
        }
    }

    /**
     * A burst's first seconds, per second: the CPU of the process and of the whole machine, in cores, and the time the
     * process's JIT compiler threads spent compiling (summed over the threads, waits for a core included).
     */
    private record Start(double processCores, double machineCores, double compilingPerSecond) {}

    /**
     * One figure per burst, in the order they ran: the first meets a freshly started process (the service's has run
     * the reconciliations before it, not yet its intake and notification workflows).
     */
    private static String each(List<Burst> bursts, Function<Burst, String> figure) {
        return String.join(", ", bursts.stream().map(figure).toList());
    }

    static final class Instance implements AutoCloseable {
        final Process process;
        final int port;
        /** The baseline's statistics port; the service's is its port. */
        final int statsPort;
        final boolean isService;
        /** The service's state database schema, dropped when the service stops; null for the baseline. */
        final String stateSchema;

        private Instance(Process process, int port, int statsPort, boolean isService, String stateSchema) {
            this.process = process;
            this.port = port;
            this.statsPort = statsPort;
            this.isService = isService;
            this.stateSchema = stateSchema;
        }

        static Instance service(BenchImmuta immuta, String stateSchema, Map<String, String> overrides) throws Exception {
            TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS " + stateSchema + " CASCADE; CREATE SCHEMA " + stateSchema);
            dropSchema(SERVICE_SCHEMA);
            int port = Services.freePort();
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("server.port", String.valueOf(port));
            properties.put("immuta.url", immuta.url());
            properties.put("immuta.api-key", BenchImmuta.API_KEY);
            // The cap the baseline keeps too; a service that does not know the property yet ignores it.
            properties.put("immuta.max-concurrent-calls", String.valueOf(IMMUTA_CAP));
            // Immuta and the service share this machine: its loopback URL is the one Immuta would reach.
            properties.put("viewsync.webhook.url", "http://localhost:" + port + "/immuta/webhook");
            properties.put("viewsync.webhook.allow-loopback", "true");
            properties.put("spring.datasource.url", TargetDatabase.POSTGRES.url + "?currentSchema=" + stateSchema);
            properties.put("spring.datasource.username", "postgres");
            properties.put("viewsync.admin.password", Services.ADMIN_PASSWORD);
            properties.put("viewsync.reconciliation.enabled", "false");
            properties.put("viewsync.targets.pg.url", TargetDatabase.POSTGRES.url);
            properties.put("viewsync.targets.pg.username", "postgres");
            properties.put("viewsync.targets.pg.handler-types", "PostgreSQL");
            properties.put("viewsync.targets.pg.schema", SERVICE_SCHEMA);
            properties.put("logging.level.org.viewsync", "WARN");
            properties.put("logging.level.process-notification", "WARN");
            properties.put("logging.level.write-view", "WARN");
            // -Dbench.service.<property>=<value> sets a property of the service, e.g. -Dbench.service.viewsync.queue.batch-size=20.
            System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.service."))
                    .forEach(name -> properties.put(name.substring("bench.service.".length()), System.getProperty(name)));
            properties.putAll(overrides);
            Path log = Files.createTempFile("bench-service", ".log");
            System.out.println("BENCHMARK service log: " + log);
            Instance service = new Instance(Services.startProcess(IntakeLatencyBenchmark.SERVICE_JVM_OPTIONS, port, Services.arguments(properties), log),
                    port, port, true, stateSchema);
            immuta.awaitStartUpCalls();
            return service;
        }

        static Instance baseline(BenchImmuta immuta) throws Exception {
            dropSchema(BASELINE_SCHEMA);
            TargetDatabase.POSTGRES.execute("CREATE SCHEMA " + BASELINE_SCHEMA);
            int port = Services.freePort();
            int statsPort = Services.freePort();
            List<String> command = Services.javaCommand(IntakeLatencyBenchmark.SERVICE_JVM_OPTIONS, InlineBaseline.class,
                    List.of(String.valueOf(port), String.valueOf(statsPort), immuta.url(), TargetDatabase.POSTGRES.url, BASELINE_SCHEMA,
                            String.valueOf(IMMUTA_CAP)));
            Path log = Files.createTempFile("bench-baseline", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            for (int attempt = 0; attempt < 100; attempt++) {
                try {
                    HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + statsPort + "/stats")).build(), HttpResponse.BodyHandlers.discarding());
                    return new Instance(process, port, statsPort, false, null);
                } catch (IOException notYet) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            throw new IllegalStateException("the baseline did not start, see " + log);
        }

        /** View by view: one DROP SCHEMA ... CASCADE of 10,000 views needs more locks than PostgreSQL has by default. */
        static void dropSchema(String schema) {
            TargetDatabase.POSTGRES.executeEach(TargetDatabase.POSTGRES.query("SELECT viewname FROM pg_views WHERE schemaname = '" + schema + "'")
                    .stream().map(view -> "DROP VIEW IF EXISTS " + schema + ".\"" + view.get("viewname") + "\"").toList());
            TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }

        /**
         * How this implementation's calls to Immuta introduce themselves: the service's workflows call with Apache
         * HttpClient (camel-http); the baseline names itself.
         */
        String userAgent() {
            return isService ? "Apache-HttpClient" : InlineBaseline.USER_AGENT;
        }

        String admin(String method, String path) throws Exception {
            return HTTP.send(Services.asAdmin(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)))
                    .timeout(Duration.ofMinutes(15)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        /** Answers when the run is done, within the 15 minutes the service gives an admin call (spring.mvc.async). */
        void reconcile() throws Exception {
            admin("POST", "/admin/reconcile");
        }

        /** Waits until the service's inbox holds no pending notification (the baseline has none). */
        void awaitInboxEmpty() throws Exception {
            long started = System.nanoTime();
            while (isService && sum(admin("GET", "/actuator/prometheus"), "viewsync_inbox{status=\"pending\"") > 0) {
                if (seconds(started) > BURST_TIMEOUT_SECONDS) {
                    throw new IllegalStateException("the service's inbox still holds notifications after " + BURST_TIMEOUT_SECONDS + " s");
                }
                TimeUnit.SECONDS.sleep(1);
            }
        }

        /** DDL statements the service ran: views created, replaced and dropped. */
        long viewsChanged() throws Exception {
            return viewsChanged(admin("GET", "/actuator/prometheus"));
        }

        private static long viewsChanged(String scrape) {
            return (long) sum(scrape, "viewsync_views_changed_total{");
        }

        /** DDL statements run so far, by the implementation's own count. */
        long ddl() throws Exception {
            return sample().ddl();
        }

        /** A number the baseline's /stats answers, e.g. {"ddl":120,"compilationMillis":5400}. */
        private static long statsField(String stats, String field) {
            Matcher value = Pattern.compile("\"" + field + "\":(\\d+)").matcher(stats);
            if (!value.find()) {
                throw new IllegalStateException("the baseline's /stats has no " + field + ": " + stats);
            }
            return Long.parseLong(value.group(1));
        }

        /**
         * One poll during a burst: DDL so far, heap in use (0 for the baseline), and the time the JIT compiler threads
         * have spent compiling (the JVM's CompilationMXBean, summed over its threads).
         */
        record Sample(long ddl, long heapUsed, double compilationSeconds) {}

        /**
         * One Prometheus scrape gives the service's figures. Each admin call costs the service a password check,
         * which the baseline's /stats does not; two calls per poll had been 2 % of the service's CPU in a burst.
         */
        Sample sample() throws Exception {
            if (!isService) {
                String stats = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + statsPort + "/stats")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return new Sample(statsField(stats, "ddl"), 0, statsField(stats, "compilationMillis") / 1000.0);
            }
            String scrape = admin("GET", "/actuator/prometheus");
            if (!scrape.contains("\njvm_compilation_time_ms_total{")) {
                throw new IllegalStateException("the service's /actuator/prometheus has no jvm_compilation_time_ms_total");
            }
            return new Sample(viewsChanged(scrape), (long) sum(scrape, "jvm_memory_used_bytes{area=\"heap\""),
                    sum(scrape, "jvm_compilation_time_ms_total{") / 1000);
        }

        /** The sum of a metric's samples in a Prometheus scrape whose line starts with the name and labels given. */
        private static double sum(String scrape, String nameAndLabels) {
            Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + "[^}]*} ([0-9.E+]+)$").matcher(scrape);
            double total = 0;
            while (sample.find()) {
                total += Double.parseDouble(sample.group(1));
            }
            return total;
        }

        double cpuSeconds() throws IOException {
            return cpuSeconds(process);
        }

        /** User and system CPU time the process has used (/proc/PID/stat, in clock ticks of 10 ms). */
        static double cpuSeconds(Process process) throws IOException {
            String[] fields = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat")).replaceFirst(".*\\) ", "").split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }

        /** CPU time the machine has spent on anything but idling and waiting for I/O, all cores (/proc/stat). */
        static double machineBusySeconds() throws IOException {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // user, nice, system, irq, softirq (idle, iowait, steal and guest time are not this machine's work)
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(fields[field]);
            }
            return busy / 100.0;
        }

        /** Peak resident set size of the process in KiB (VmHWM). */
        long peakRss() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return 0;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            // The test database stays as the test suite expects it.
            if (stateSchema != null) {
                TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS " + stateSchema + " CASCADE");
            }
        }
    }
}
