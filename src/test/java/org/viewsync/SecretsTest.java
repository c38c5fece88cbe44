package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.viewsync.simulator.WebhookSender;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * The Immuta API key, its tokens, the webhook secret and the passwords appear nowhere a person or a scraper can read:
 * not in the whole log of a service process, from its start (which registers the hook, secret included) to its end,
 * neither with every logger at DEBUG nor with Camel's tracer logging every message; and in no answer of the admin
 * endpoints and the actuator. The secrets come from the environment, as a Kubernetes Secret provides them.
 */
class SecretsTest {

    static final String TOKEN = "tkn-Qx81-first";
    static final String ROTATED_TOKEN = "tkn-Qx81-rotated";
    static final String WEBHOOK_SECRET = "whsec-Zp44-distinct";
    static final String STATE_PASSWORD = "statepw-Lm90-distinct";
    static final String TARGET_PASSWORD = "targetpw-Rt57-distinct";
    static final String ADMIN_BASIC = Base64.getEncoder().encodeToString(
            (Services.ADMIN_USER + ":" + Services.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

    /** Endpoints exposed to the admin: each must answer 200 with content, or reading it proves nothing. */
    static final List<String> READABLE = List.of("/views", "/admin/failed", "/admin/refused", "/admin/reconcile", "/admin/openapi.json",
            "/actuator", "/actuator/health", "/actuator/health/readiness", "/actuator/info", "/actuator/metrics",
            "/actuator/metrics/hikaricp.connections", "/actuator/prometheus", "/actuator/hawtio/",
            "/actuator/jolokia/read/org.apache.camel:*?ignoreErrors=true",
            "/actuator/jolokia/read/java.lang:type=Runtime?ignoreErrors=true");
    /** Endpoints that would show the configuration: not exposed at all. */
    static final List<String> NOT_EXPOSED = List.of("/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/heapdump",
            "/actuator/threaddump", "/actuator/loggers");

    @TempDir
    Path logs;

    final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"every logger at DEBUG", "Camel's tracer on"})
    void noSecretInTheWholeLogOrAnyAnswer(String logging) throws Exception {
        String stateUrl = Services.freshPostgresState("viewsync_secrets_state");
        FakeImmuta.issueToken(TOKEN);
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("viewsync.queue.max-attempts", "2");
        settings.put("viewsync.queue.poll-interval", "200ms");
        if (logging.contains("DEBUG")) {
            settings.put("logging.level.root", "DEBUG");
        } else {
            settings.put("camel.main.tracing", "true");
        }
        int port = Services.freePort();
        Path log = logs.resolve("service.log");
        // The secrets as a deployment gives them: in the environment, not on the command line.
        List<String> arguments = Services.againstFakeImmuta(port, stateUrl, settings).stream()
                .filter(argument -> !argument.startsWith("--immuta.api-key=") && !argument.startsWith("--viewsync.admin.password="))
                .toList();
        ProcessBuilder command = new ProcessBuilder(Services.javaCommand(Services.SHORT_LIVED_JVM, ViewSyncApplication.class, arguments))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().putAll(Map.of("IMMUTA_API_KEY", FakeImmuta.API_KEY, "VIEWSYNC_WEBHOOK_SECRET", WEBHOOK_SECRET,
                "VIEWSYNC_ADMIN_PASSWORD", Services.ADMIN_PASSWORD, "SPRING_DATASOURCE_PASSWORD", STATE_PASSWORD,
                "VIEWSYNC_TARGETS_POSTGRES_PASSWORD", TARGET_PASSWORD));
        Process service = command.start();
        List<String> readable = new ArrayList<>();
        try {
            Awaitility.await("service up").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .failFast("the service process ended, see its log", () -> !service.isAlive())
                    .until(() -> read(port, "/actuator/health/readiness", false).statusCode() == 200);
            JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(stateUrl, "postgres", ""));

            // Work that authenticates, re-authenticates after the token changes, is refused, fails and is listed.
            deliver(port, Notifications.addedToProject(1, 7));
            awaitWorkedOff(stateDb);
            FakeImmuta.issueToken(ROTATED_TOKEN);
            FakeImmuta.project(7, "Clients", true);
            FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
            FakeImmuta.viewSql(1, 7, "SELECT id, name FROM sales.customers");
            deliver(port, Notifications.addedToProject(1, 7));
            awaitWorkedOff(stateDb);
            // View SQL the guard refuses, listed at /admin/refused.
            FakeImmuta.dataSource(2, "Orders", "orders", "PostgreSQL");
            FakeImmuta.viewSql(2, 7, "SELECT id FROM sales.customers; DROP TABLE sales.customers");
            deliver(port, Notifications.addedToProject(2, 7));
            awaitWorkedOff(stateDb);
            FakeImmuta.server().stubFor(get("/dataSource/9").atPriority(1).willReturn(serverError()));
            deliver(port, Notifications.addedToProject(9, 7));
            awaitWorkedOff(stateDb);
            assertThat(stateDb.queryForObject("SELECT count(*) FROM inbox WHERE status = 'FAILED'", Integer.class)).as("the failure listed").isEqualTo(1);
            assertThat(TargetDatabase.POSTGRES.views()).as("the work did happen").containsExactly("clients__customers");
            FakeImmuta.equalizedProjects(100, Map.of(7L, "Clients"));
            FakeImmuta.projectDataSources(7, 100, List.of(FakeImmuta.projectDataSource(1, "Customers", "PostgreSQL")));
            HttpResponse<String> reconciled = http.send(Services.asAdmin(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/reconcile")))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reconciled.body()).as("a reconciliation's report, for GET /admin/reconcile").contains("\"wanted\":1");

            for (String path : READABLE) {
                HttpResponse<String> answer = read(port, path, true);
                assertThat(answer.statusCode()).as(path).isEqualTo(200);
                assertThat(answer.body()).as(path).isNotBlank().isNotEqualTo("null").isNotEqualTo("[]");
                readable.add(path + " -> " + answer.body());
            }
            for (String path : NOT_EXPOSED) {
                assertThat(read(port, path, true).statusCode()).as(path).isEqualTo(404);
            }
        } finally {
            service.destroy();
            service.waitFor();
        }
        String output = Files.readString(log);
        readable.add(output);

        assertThat(output).as("the log from the start").contains("Started ViewSyncApplication").contains("Registered webhook")
                .contains("Applied view");
        if (logging.contains("DEBUG")) {
            assertThat(output).as("DEBUG lines of the service and of Camel").containsPattern(" DEBUG .* o\\.v\\.")
                    .containsPattern(" DEBUG .* o\\.a\\.c(amel)?\\.");
        } else {
            // The tracer's lines name the route (cut to 12 characters) and show the message.
            assertThat(output).as("lines of Camel's tracer: the intake, authentication, registration")
                    .containsPattern("\\[webhook-inta\\] .*Exchange\\[Id: ").containsPattern("\\[immuta-authe\\] .*Exchange\\[Id: ")
                    .containsPattern("\\[immuta-regis\\] .*Exchange\\[Id: ");
        }
        for (String secret : List.of(FakeImmuta.API_KEY, TOKEN, ROTATED_TOKEN, WEBHOOK_SECRET, Services.ADMIN_PASSWORD, ADMIN_BASIC,
                STATE_PASSWORD, TARGET_PASSWORD)) {
            assertThat(readable).as("where " + secret + " could show").noneMatch(text -> text.contains(secret));
        }
    }

    private void deliver(int port, String body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                .header("Content-Type", "application/json")
                .header(WebhookSender.SIGNATURE_HEADER, WebhookSender.sign(WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    private static void awaitWorkedOff(JdbcTemplate stateDb) {
        Awaitility.await("notifications and view tasks worked off").atMost(Duration.ofSeconds(60)).until(() -> stateDb.queryForObject(
                "SELECT (SELECT count(*) FROM inbox WHERE status = 'PENDING') + (SELECT count(*) FROM view_task WHERE status = 'PENDING')",
                Integer.class) == 0);
    }

    private HttpResponse<String> read(int port, String path, boolean asAdmin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30));
        return http.send((asAdmin ? Services.asAdmin(request) : request).build(), HttpResponse.BodyHandlers.ofString());
    }
}
