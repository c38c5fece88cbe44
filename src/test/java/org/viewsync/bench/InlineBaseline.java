package org.viewsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a team would write from Immuta's guide without this service: a web handler that, for each webhook, makes every
 * Immuta call and runs the view DDL before it answers. Written honestly: a keep-alive HTTP client, ten persistent
 * JDBC connections shared by the handlers (PostgreSQL allows 100 here), a thread pool as large as Tomcat's default
 * for web handlers (200), no artificial slowness. Handles what the benchmarks send: {@code policyUpdated} for a data
 * source; any other notification is answered at once.
 * <p>
 * Immuta is shared, so the team caps the calls it has in flight ({@code immutaCap}, the same cap the service gets) and
 * keeps that cap busy: a notification's view-SQL calls and DDL run in parallel, on {@code immutaCap + 10} view threads
 * (each holds its thread through its Immuta call and then its DDL), and a 429 is waited out as its Retry-After says.
 */
final class InlineBaseline implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How the baseline's calls introduce themselves to Immuta, so that the benchmark counts them apart. */
    static final String USER_AGENT = "inline-baseline";
    private static final int CONNECTIONS = 10;
    private static final int MAX_ATTEMPTS = 10;

    private final HttpServer server;
    private final HttpServer stats;
    private final ExecutorService handlers = Executors.newFixedThreadPool(200);
    private final ExecutorService viewThreads;
    private final HttpClient immuta = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** Fair, so that the calls of the notifications received first go first, as a queue in front of Immuta would. */
    private final Semaphore immutaCalls;
    private final String immutaUrl;
    private final String schema;
    private final BlockingQueue<Connection> connections = new ArrayBlockingQueue<>(CONNECTIONS);
    private volatile String token;
    final LongAdder ddl = new LongAdder();

    InlineBaseline(int port, int statsPort, String immutaUrl, String targetUrl, String schema, int immutaCap) throws IOException, SQLException {
        for (int i = 0; i < CONNECTIONS; i++) {
            connections.add(DriverManager.getConnection(targetUrl, "postgres", ""));
        }
        this.immutaUrl = immutaUrl;
        this.schema = schema;
        this.immutaCalls = new Semaphore(immutaCap, true);
        this.viewThreads = Executors.newFixedThreadPool(immutaCap + CONNECTIONS);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(handlers);
        server.createContext("/immuta/webhook", this::handle);
        server.start();
        // On a port and a thread of its own: behind a burst's notifications, which hold every handler for seconds,
        // the benchmark's samples of the DDL count came seconds late.
        stats = HttpServer.create(new InetSocketAddress("127.0.0.1", statsPort), 16);
        stats.createContext("/stats", exchange -> {
            byte[] answer = ("{\"ddl\":" + ddl.sum() + ",\"compilationMillis\":"
                    + ManagementFactory.getCompilationMXBean().getTotalCompilationTime() + "}").getBytes();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        stats.start();
    }

    /**
     * Runs in a JVM of its own, as the service does: webhook port, statistics port, Immuta URL, target JDBC URL,
     * schema, cap on Immuta calls.
     */
    public static void main(String[] arguments) throws IOException, SQLException {
        BenchImmuta.noDelay();
        new InlineBaseline(Integer.parseInt(arguments[0]), Integer.parseInt(arguments[1]), arguments[2], arguments[3], arguments[4],
                Integer.parseInt(arguments[5]));
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        try {
            JsonNode notification = JSON.readTree(exchange.getRequestBody());
            if ("policyUpdated".equals(notification.path("notificationType").asText())
                    && "datasource".equals(notification.path("modelType").asText())) {
                policyUpdated(notification.path("modelId").asLong());
            }
        } catch (Exception e) {
            status = 500;
        }
        exchange.getRequestBody().close();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** Replaces the data source's view in every equalized project holding it, all at once; returns when all are done. */
    private void policyUpdated(long dataSourceId) throws Exception {
        JsonNode dataSource = get("/dataSource/" + dataSourceId);
        if (!"PostgreSQL".equals(dataSource.path("blobHandlerType").asText())) {
            return;
        }
        String table = dataSource.path("sqlTableName").asText();
        List<Future<?>> views = new ArrayList<>();
        for (int offset = 0; ; offset += 100) {
            JsonNode page = get("/project?isEqualized=true&dataSourceId=" + dataSourceId + "&size=100&offset=" + offset);
            for (JsonNode project : page.path("hits")) {
                views.add(viewThreads.submit(() -> {
                    replaceView(dataSourceId, project.path("id").asLong(), project.path("name").asText(), table);
                    return null;
                }));
            }
            if (offset + 100 >= page.path("count").asInt()) {
                break;
            }
        }
        Exception failed = null;
        for (Future<?> view : views) {
            try {
                view.get();
            } catch (ExecutionException e) {
                failed = e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private void replaceView(long dataSourceId, long projectId, String projectName, String table) throws Exception {
        String sql = get("/dataSource/" + dataSourceId + "/viewSql?projectId=" + projectId).path("sql").asText();
        String view = (projectName + "__" + table).toLowerCase().replaceAll("[^a-z0-9_]", "_");
        Connection connection = connections.take();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE VIEW " + schema + ".\"" + view + "\" AS " + sql);
        } finally {
            connections.add(connection);
        }
        ddl.increment();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        if (token == null) {
            authenticate();
        }
        HttpResponse<String> response = call(HttpRequest.newBuilder(URI.create(immutaUrl + path)).header("User-Agent", USER_AGENT).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /** Once for all handlers: each would otherwise authenticate while the first is still waiting for its token. */
    private synchronized void authenticate() throws IOException, InterruptedException {
        if (token == null) {
            HttpResponse<String> auth = call(HttpRequest.newBuilder(URI.create(immutaUrl + "/bim/apikey/authenticate"))
                    .header("User-Agent", USER_AGENT).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"apikey\":\"" + BenchImmuta.API_KEY + "\"}"))
                    .build());
            token = JSON.readTree(auth.body()).path("token").asText();
        }
    }

    /** One Immuta call within the cap; a 429 is tried again after its Retry-After, outside the cap. */
    private HttpResponse<String> call(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            immutaCalls.acquire();
            try {
                response = immuta.send(request, HttpResponse.BodyHandlers.ofString());
            } finally {
                immutaCalls.release();
            }
            if (response.statusCode() != 429 || attempt == MAX_ATTEMPTS) {
                return response;
            }
            TimeUnit.SECONDS.sleep(response.headers().firstValueAsLong("Retry-After").orElse(1));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        stats.stop(0);
        handlers.shutdownNow();
        viewThreads.shutdownNow();
        for (Connection open : connections) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // closing at the end of the benchmark
            }
        }
    }
}
