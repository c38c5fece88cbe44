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
 * projects) after a configurable latency per call, and counting the calls per endpoint. The project's own simulator
 * keeps its catalog in a YAML file and answers without delay; this one scales to 10,000 views and waits like a
 * remote Immuta. A global policy change is {@link #changePolicy()}: every view's SQL changes.
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

    final int dataSources;
    final int projects;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final AtomicInteger policyVersion = new AtomicInteger(1);
    private volatile long latencyMillis;

    BenchImmuta(int dataSources, int projects, long latencyMillis) throws IOException {
        this.dataSources = dataSources;
        this.projects = projects;
        this.latencyMillis = latencyMillis;
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

    void resetCounts() {
        calls.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            if (latencyMillis > 0) {
                TimeUnit.MILLISECONDS.sleep(latencyMillis);
            }
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            Map<String, String> query = query(uri.getRawQuery());
            exchange.getRequestBody().readAllBytes();
            Object body;
            Matcher matcher;
            if (path.equals("/bim/apikey/authenticate")) {
                body = count("authenticate", Map.of("token", "bench-token"));
            } else if (path.equals("/webhooks")) {
                body = count("webhooks", exchange.getRequestMethod().equals("GET") ? List.of() : List.of(Map.of("id", 1)));
            } else if ((matcher = VIEW_SQL.matcher(path)).matches()) {
                body = count("viewSql", Map.of("sql", viewSql(Long.parseLong(matcher.group(1)), Long.parseLong(query.get("projectId")))));
            } else if ((matcher = DATA_SOURCE.matcher(path)).matches()) {
                long id = Long.parseLong(matcher.group(1));
                body = count("dataSource", id <= dataSources ? dataSource(id) : null);
            } else if ((matcher = PROJECT_DATA_SOURCES.matcher(path)).matches()) {
                List<Object> entries = new ArrayList<>();
                for (long id = 1; id <= dataSources; id++) {
                    entries.add(Map.of("dataSourceId", id, "dataSourceName", "Source " + id, "blobHandlerType", "PostgreSQL",
                            "deleted", false, "subscriptionStatus", "owner"));
                }
                body = count("projectDataSources", page(entries, query, "dataSources"));
            } else if ((matcher = PROJECT.matcher(path)).matches()) {
                body = count("project", project(Long.parseLong(matcher.group(1))));
            } else if (path.equals("/project")) {
                List<Object> hits = new ArrayList<>();
                for (long id = 1; id <= projects; id++) {
                    hits.add(project(id));
                }
                body = count(query.containsKey("dataSourceId") ? "projectSearch" : "projectList", page(hits, query, "hits"));
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
            exchange.close();
        }
    }

    private Object count(String endpoint, Object body) {
        calls.computeIfAbsent(endpoint, key -> new LongAdder()).increment();
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
