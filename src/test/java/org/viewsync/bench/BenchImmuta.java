package org.viewsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Immuta for the benchmarks: the API surface the service and the baseline use, over real HTTP, answering a
 * generated catalog ({@code dataSources} PostgreSQL data sources, each in every one of {@code projects} equalized
 * projects) after a configurable latency per call, and counting the calls per endpoint and the most calls it had in
 * flight at once. The project's own simulator keeps its catalog in a YAML file and answers without delay; this one
 * scales to 10,000 views and waits like a remote Immuta. A global policy change is {@link #changePolicy()}: every
 * view's SQL changes.
 * <p>
 * It answers as Immuta's API v1 does where the service depends on the shape: {@code GET /project/{id}} without
 * {@code isEqualized} (the service asks {@code checkEqualizationState}), {@code POST /webhooks} with
 * {@code {createdWebhooks, errors}}, {@code GET /webhooks/history} as {@code {count, records}} (no failed delivery).
 * <p>
 * With a {@code limit} above 0 it answers 429 with {@code Retry-After} to a call that would put more than
 * {@code limit} calls in flight, at once and without the latency, as a gateway in front of Immuta would.
 */
final class BenchImmuta implements AutoCloseable {

    static final String API_KEY = "bench-api-key";

    static {
        noDelay();
    }
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA_SOURCE = Pattern.compile("/dataSource/(\\d+)");
    private static final Pattern VIEW_SQL = Pattern.compile("/dataSource/(\\d+)/viewSql");
    private static final Pattern PROJECT = Pattern.compile("/project/(\\d+)");
    private static final Pattern PROJECT_DATA_SOURCES = Pattern.compile("/project/(\\d+)/dataSources");
    private static final Pattern EQUALIZATION_STATE = Pattern.compile("/project/(\\d+)/checkEqualizationState");
    private static final Pattern WEBHOOK = Pattern.compile("/webhooks/(\\d+)");
    /** Seconds a 429 asks the caller to wait. */
    static final int RETRY_AFTER_SECONDS = Integer.getInteger("bench.immutaRetryAfter", 1);

    final int dataSources;
    final int projects;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    /** Calls of anyone but the measured caller since the last {@link #resetCounts}, per endpoint. */
    private final Map<String, LongAdder> otherCalls = new ConcurrentHashMap<>();
    private final AtomicInteger policyVersion = new AtomicInteger(1);
    /** Every caller's calls in flight: the count a limit of Immuta's applies to. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger measuredInFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** How long the measured calls have been in Immuta's hands, summed: divided by a time, the mean calls in flight. */
    private final LongAdder measuredCallNanos = new LongAdder();
    /**
     * The User-Agent prefix of the caller whose calls are counted; null counts everyone. The service and the baseline
     * run side by side, and the idle one still calls Immuta now and then (the service checks its webhook every few
     * minutes): those calls are no part of the other's burst.
     */
    private volatile String measuredCaller;
    /** Hooks registered with POST /webhooks, as GET /webhooks lists them: a service started again finds its hook. */
    private final List<Map<String, Object>> webhooks = new CopyOnWriteArrayList<>();
    private final AtomicInteger webhookIds = new AtomicInteger();
    private final int limit;
    private volatile long latencyMillis;

    BenchImmuta(int dataSources, int projects, long latencyMillis) throws IOException {
        this(dataSources, projects, latencyMillis, 0);
    }

    /** {@code limit}: the calls in flight beyond which Immuta answers 429; 0 for none. */
    BenchImmuta(int dataSources, int projects, long latencyMillis, int limit) throws IOException {
        this.dataSources = dataSources;
        this.projects = projects;
        this.latencyMillis = latencyMillis;
        this.limit = limit;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    /**
     * The JDK's HTTP server leaves Nagle's algorithm on unless told otherwise: a response written in two small parts
     * then waits for the client's delayed ACK, about 40 ms per call, which no real Immuta behind a web server adds.
     * Read once, when the server class loads.
     */
    static void noDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void latency(long millis) {
        latencyMillis = millis;
    }

    long latency() {
        return latencyMillis;
    }

    /** A global policy change: every data source's view SQL changes. */
    int changePolicy() {
        return policyVersion.incrementAndGet();
    }

    int policyVersion() {
        return policyVersion.get();
    }

    /** The view SQL of any view under the current policy; its version shows in the view's definition. */
    String viewSql(long dataSourceId, long projectId) {
        return "SELECT id, name, 'p" + policyVersion.get() + "' AS policy_version FROM sales.customers WHERE id <> " + (dataSourceId * 1000 + projectId);
    }

    Map<String, Long> calls() {
        Map<String, Long> counts = new LinkedHashMap<>();
        calls.forEach((endpoint, count) -> counts.put(endpoint, count.sum()));
        return counts;
    }

    /**
     * Waits until a service just started has made its start-up calls (the webhook registration, the history of
     * failed deliveries, the preflight): the history was read and no call came for two seconds. Readiness does not
     * wait for them, and they are not the work a phase measures.
     */
    void awaitStartUpCalls() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!calls.containsKey("webhookHistory") && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        for (long seen = -1; seen != totalCalls() || inFlight.get() > 0; ) {
            seen = totalCalls();
            TimeUnit.SECONDS.sleep(2);
        }
    }

    private long totalCalls() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * The measured caller's most calls in flight at once since the last {@link #resetCounts}, those answered 429
     * included; everyone's when no caller is measured.
     */
    int mostInFlight() {
        return mostInFlight.get();
    }

    /** Calls of other callers since the last {@link #resetCounts(String)}, per endpoint. */
    Map<String, Long> otherCalls() {
        Map<String, Long> counts = new LinkedHashMap<>();
        otherCalls.forEach((endpoint, count) -> counts.put(endpoint, count.sum()));
        return counts;
    }

    /** Seconds the measured calls spent in flight since the last {@link #resetCounts}, summed over the calls. */
    double callSeconds() {
        return measuredCallNanos.sum() / 1e9;
    }

    void resetCounts() {
        resetCounts(null);
    }

    /** Counts from now on the calls whose User-Agent starts with {@code caller} (null: everyone's). */
    void resetCounts(String caller) {
        measuredCaller = caller;
        calls.clear();
        otherCalls.clear();
        measuredCallNanos.reset();
        mostInFlight.set(caller == null ? inFlight.get() : 0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        String caller = measuredCaller;
        String agent = exchange.getRequestHeaders().getFirst("User-Agent");
        boolean measured = caller == null || (agent != null && agent.startsWith(caller));
        Map<String, LongAdder> counted = measured ? calls : otherCalls;
        int concurrent = inFlight.incrementAndGet();
        int measuredConcurrent = measured ? measuredInFlight.incrementAndGet() : 0;
        try {
            if (measured) {
                mostInFlight.accumulateAndGet(caller == null ? concurrent : measuredConcurrent, Math::max);
            }
            if (limit > 0 && concurrent > limit) {
                count(counted, "429 Too Many Requests", null);
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                exchange.sendResponseHeaders(429, -1);
                return;
            }
            if (latencyMillis > 0) {
                TimeUnit.MILLISECONDS.sleep(latencyMillis);
            }
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            Map<String, String> query = query(uri.getRawQuery());
            byte[] request = exchange.getRequestBody().readAllBytes();
            Object body;
            Matcher matcher;
            if (path.equals("/bim/apikey/authenticate")) {
                body = count(counted, "authenticate", Map.of("token", "bench-token"));
            } else if (path.equals("/webhooks/history")) {
                body = count(counted, "webhookHistory", Map.of("count", 0, "records", List.of()));
            } else if (path.equals("/webhooks")) {
                body = exchange.getRequestMethod().equals("GET") ? count(counted, "webhooks", webhooks) : count(counted, "webhookRegistration", register(request));
            } else if ((matcher = WEBHOOK.matcher(path)).matches()) {
                String id = matcher.group(1);
                body = count(counted, "webhookDeletion", webhooks.removeIf(hook -> hook.get("id").toString().equals(id)) ? Map.of("id", Long.parseLong(id)) : null);
            } else if ((matcher = VIEW_SQL.matcher(path)).matches()) {
                body = count(counted, "viewSql", Map.of("sql", viewSql(Long.parseLong(matcher.group(1)), Long.parseLong(query.get("projectId")))));
            } else if ((matcher = DATA_SOURCE.matcher(path)).matches()) {
                long id = Long.parseLong(matcher.group(1));
                body = count(counted, "dataSource", id <= dataSources ? dataSource(id) : null);
            } else if ((matcher = PROJECT_DATA_SOURCES.matcher(path)).matches()) {
                List<Object> entries = new ArrayList<>();
                for (long id = 1; id <= dataSources; id++) {
                    entries.add(Map.of("dataSourceId", id, "dataSourceName", "Source " + id, "blobHandlerType", "PostgreSQL",
                            "deleted", false, "subscriptionStatus", "owner"));
                }
                body = count(counted, "projectDataSources", page(entries, query, "dataSources"));
            } else if ((matcher = EQUALIZATION_STATE.matcher(path)).matches()) {
                body = count(counted, "equalizationState", Long.parseLong(matcher.group(1)) <= projects ? Map.of("equalizationState", "active") : null);
            } else if ((matcher = PROJECT.matcher(path)).matches()) {
                long id = Long.parseLong(matcher.group(1));
                // Immuta's GET /project/{id} carries no isEqualized: checkEqualizationState says it.
                Map<String, Object> project = new LinkedHashMap<>(project(id));
                project.remove("isEqualized");
                body = count(counted, "project", id <= projects ? project : null);
            } else if (path.equals("/project")) {
                List<Object> hits = new ArrayList<>();
                for (long id = 1; id <= projects; id++) {
                    hits.add(project(id));
                }
                body = count(counted, query.containsKey("dataSourceId") ? "projectSearch" : "projectList", page(hits, query, "hits"));
            } else {
                body = null;
            }
            byte[] answer = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : answer.length);
            if (body != null) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            if (measured) {
                measuredInFlight.decrementAndGet();
                measuredCallNanos.add(System.nanoTime() - received);
            }
            exchange.close();
        }
    }

    /** POST /webhooks: {@code {createdWebhooks, errors}}, each created hook with its id and without its secret. */
    private Map<String, Object> register(byte[] request) throws IOException {
        List<Object> created = new ArrayList<>();
        for (Object item : JSON.readValue(request, Map.class).get("webhooks") instanceof List<?> list ? list : List.of()) {
            Map<String, Object> hook = new LinkedHashMap<>();
            ((Map<?, ?>) item).forEach((key, value) -> hook.put(String.valueOf(key), value));
            hook.remove("secret");
            hook.put("id", webhookIds.incrementAndGet());
            webhooks.add(hook);
            created.add(hook);
        }
        return Map.of("createdWebhooks", created, "errors", List.of());
    }

    private static Object count(Map<String, LongAdder> counted, String endpoint, Object body) {
        counted.computeIfAbsent(endpoint, key -> new LongAdder()).increment();
        return body;
    }

    private static Map<String, Object> dataSource(long id) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("id", id);
        source.put("name", "Source " + id);
        source.put("sqlTableName", "source_" + id);
        source.put("blobHandlerType", "PostgreSQL");
        source.put("disabled", false);
        source.put("deleted", false);
        return source;
    }

    private static Map<String, Object> project(long id) {
        return Map.of("id", id, "name", "Project " + id, "status", "active", "deleted", false, "disabled", false,
                "isEqualized", true);
    }

    private static Map<String, Object> page(List<Object> all, Map<String, String> query, String field) {
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        int size = Integer.parseInt(query.getOrDefault("size", "100"));
        return Map.of("count", all.size(), field, all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + size)));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(pair.substring(0, equals), java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
