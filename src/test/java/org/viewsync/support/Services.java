package org.viewsync.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.ViewSyncApplication;

/** Starts whole service instances for the suites that need more than the shared test context. */
public final class Services {

    /** The admin credentials every test instance runs with (outside the simulator demo a password is required). */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private Services() {
    }

    /** The request with the admin's HTTP Basic credentials. */
    public static HttpRequest.Builder asAdmin(HttpRequest.Builder request) {
        return request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fresh, empty state schema in the test PostgreSQL, with Immuta and the target reset too: the start of every
     * suite that runs whole instances on a PostgreSQL state database. Answers the state database's JDBC URL.
     */
    public static String freshPostgresState(String schema) {
        FakeImmuta.reset();
        TargetDatabase.POSTGRES.reset();
        TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        return TargetDatabase.POSTGRES.url + "?currentSchema=" + schema;
    }

    /** The service in this JVM, configured by command-line arguments as a deployment would be. */
    public static ConfigurableApplicationContext start(List<String> arguments) {
        return new SpringApplicationBuilder(ViewSyncApplication.class).run(arguments.toArray(String[]::new));
    }

    /**
     * The service in a JVM of its own, as it runs in production: nothing else in this JVM (a load generator, the fake
     * Immuta) shares its heap or pauses it. Returns once it is ready (routes started) on {@code port}; its output goes to {@code log}.
     */
    public static Process startProcess(List<String> jvmOptions, int port, List<String> arguments, Path log) throws IOException {
        Process process = new ProcessBuilder(javaCommand(jvmOptions, ViewSyncApplication.class, arguments)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("service on port " + port + " up").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .failFast("the service process ended, see " + log, () -> !process.isAlive())
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return process;
    }

    /**
     * JVM options of the suite's own service processes: they live for seconds, so the first compiler tier starts
     * them sooner on few cores, and nothing they assert depends on compiled code. Benchmarks use the Dockerfile's.
     */
    public static final List<String> SHORT_LIVED_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** The command line that runs {@code main} in a new JVM of this Java, on this JVM's class path. */
    public static List<String> javaCommand(List<String> jvmOptions, Class<?> main, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        return command;
    }

    /**
     * Arguments that point an instance at the fake Immuta, a state database and the real PostgreSQL target, with the
     * test suite's quick queue settings; {@code extra} adds to them or overrides them.
     */
    public static List<String> againstFakeImmuta(int port, String stateUrl, Map<String, String> extra) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", String.valueOf(port));
        properties.put("immuta.url", FakeImmuta.url());
        properties.put("immuta.api-key", FakeImmuta.API_KEY);
        properties.put("spring.datasource.url", stateUrl);
        properties.put("spring.datasource.username", "postgres");
        properties.put("viewsync.admin.password", ADMIN_PASSWORD);
        properties.put("viewsync.webhook.url", "http://localhost:" + port + "/immuta/webhook");
        properties.put("viewsync.webhook.allow-loopback", "true");
        // Several instances in one JVM (the suites that start them beside the shared test context).
        properties.put("spring.jmx.unique-names", "true");
        properties.put("viewsync.reconciliation.enabled", "false");
        properties.put("viewsync.preflight.at-start", "false");
        properties.put("viewsync.queue.poll-interval", "20ms");
        properties.put("viewsync.queue.coalesce-window", "100ms");
        properties.put("viewsync.queue.initial-backoff", "100ms");
        properties.put("viewsync.queue.max-backoff", "1s");
        properties.put("viewsync.targets.postgres.url", TargetDatabase.POSTGRES.url);
        properties.put("viewsync.targets.postgres.username", "postgres");
        properties.put("viewsync.targets.postgres.handler-types", "PostgreSQL");
        properties.putAll(extra);
        return arguments(properties);
    }

    /** Properties as the command-line arguments a deployment would pass ({@code --key=value}). */
    public static List<String> arguments(Map<String, ?> properties) {
        List<String> arguments = new ArrayList<>();
        properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }
}
