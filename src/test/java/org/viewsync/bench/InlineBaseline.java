package org.viewsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a team would write from Immuta's guide without this service: a web handler that, for each webhook, makes every
 * Immuta call and runs the view DDL before it answers. Written honestly: a keep-alive HTTP client, ten persistent
 * JDBC connections shared by the handlers (PostgreSQL allows 100 here), a thread pool as large as Tomcat's default
 * for web handlers (200), no artificial slowness. Handles what the benchmarks send: {@code policyUpdated} for a data source.
 */
final class InlineBaseline implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(200);
    private final HttpClient immuta = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String immutaUrl;
    private final String schema;
    private final BlockingQueue<Connection> connections = new ArrayBlockingQueue<>(10);
    private volatile String token;
    final LongAdder ddl = new LongAdder();

    InlineBaseline(int port, String immutaUrl, String targetUrl, String schema) throws IOException, SQLException {
        for (int i = 0; i < 10; i++) {
            connections.add(DriverManager.getConnection(targetUrl, "postgres", ""));
        }
        this.immutaUrl = immutaUrl;
        this.schema = schema;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(handlers);
        server.createContext("/immuta/webhook", this::handle);
        server.createContext("/stats", exchange -> {
            byte[] answer = ("{\"ddl\":" + ddl.sum() + "}").getBytes();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** Runs in a JVM of its own, as the service does: port, Immuta URL, target JDBC URL, schema. */
    public static void main(String[] arguments) throws IOException, SQLException {
        BenchImmuta.noDelay();
        new InlineBaseline(Integer.parseInt(arguments[0]), arguments[1], arguments[2], arguments[3]);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        try {
            JsonNode notification = JSON.readTree(exchange.getRequestBody());
            if ("policyUpdated".equals(notification.path("notificationType").asText())
                    && "datasource".equals(notification.path("modelType").asText())) {
                long dataSourceId = notification.path("modelId").asLong();
                JsonNode dataSource = get("/dataSource/" + dataSourceId);
                if ("PostgreSQL".equals(dataSource.path("blobHandlerType").asText())) {
                    for (int offset = 0; ; offset += 100) {
                        JsonNode page = get("/project?isEqualized=true&dataSourceId=" + dataSourceId + "&size=100&offset=" + offset);
                        for (JsonNode project : page.path("hits")) {
                            String sql = get("/dataSource/" + dataSourceId + "/viewSql?projectId=" + project.path("id").asLong()).path("sql").asText();
                            String view = (project.path("name").asText() + "__" + dataSource.path("sqlTableName").asText()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
                            Connection connection = connections.take();
                            try (Statement statement = connection.createStatement()) {
                                statement.execute("CREATE OR REPLACE VIEW " + schema + ".\"" + view + "\" AS " + sql);
                            } finally {
                                connections.add(connection);
                            }
                            ddl.increment();
                        }
                        if (offset + 100 >= page.path("count").asInt()) {
                            break;
                        }
                    }
                }
            }
        } catch (Exception e) {
            status = 500;
        }
        exchange.getRequestBody().close();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        if (token == null) {
            HttpResponse<String> auth = immuta.send(HttpRequest.newBuilder(URI.create(immutaUrl + "/bim/apikey/authenticate"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"apikey\":\"" + BenchImmuta.API_KEY + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            token = JSON.readTree(auth.body()).path("token").asText();
        }
        HttpResponse<String> response = immuta.send(HttpRequest.newBuilder(URI.create(immutaUrl + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        for (Connection open : connections) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // closing at the end of the benchmark
            }
        }
    }
}
