package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.ImmutaContract;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * The preflight against a contract-shaped Immuta and the real PostgreSQL and MariaDB targets, as a new user runs it:
 * {@code POST /admin/preflight} on a running service and {@code java -jar ... --preflight} in a process of its own.
 * Each failure names the setting or the grant that fixes it.
 */
class PreflightTest {

    static final TargetDatabase POSTGRES = TargetDatabase.POSTGRES;
    static final TargetDatabase MARIADB = TargetDatabase.MARIADB;
    /** An account without the privileges a view account needs, to see the preflight say which are missing. */
    static final String WEAK_USER = "viewsync_preflight";

    @BeforeEach
    void immutaWithAnEqualizedProjectOfEachHandler() {
        FakeImmuta.reset();
        POSTGRES.reset();
        MARIADB.reset();
        FakeImmuta.equalizedProjects(100, Map.of(7L, "Clients"));
        FakeImmuta.projectDataSources(7, 100, List.of(FakeImmuta.projectDataSource(1, "Customers", "PostgreSQL"),
                FakeImmuta.projectDataSource(2, "EU Customers", "MariaDB")));
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.dataSource(2, "EU Customers", "customers", "MariaDB");
        FakeImmuta.viewSql(1, 7, "SELECT id, name FROM sales.customers");
        FakeImmuta.viewSql(2, 7, "SELECT id, name FROM sales.customers WHERE region = 'EU'");
        POSTGRES.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + WEAK_USER + "') THEN"
                + " EXECUTE 'DROP OWNED BY " + WEAK_USER + " CASCADE'; END IF; END $$; DROP ROLE IF EXISTS " + WEAK_USER);
        MARIADB.execute("DROP USER IF EXISTS '" + WEAK_USER + "'@'%'");
        MARIADB.execute("DROP USER IF EXISTS '" + WEAK_USER + "'@'localhost'");
    }

    @AfterEach
    void immutaContractKept() {
        FakeImmuta.assertContractKept();
    }

    @Test
    void passesEveryCheckWithAnApplicationAdminKeyAndViewAccountsThatMayDoTheirWork() {
        JsonNode report = preflight(Map.of());

        assertThat(report.path("passed").asBoolean()).as(report.toPrettyString()).isTrue();
        assertThat(results(report)).containsEntry("immuta: authenticate", "PASS").containsEntry("immuta: webhooks", "PASS")
                .containsEntry("immuta: equalized project", "PASS").containsEntry("immuta: view SQL", "PASS")
                .containsEntry("target postgres: connect", "PASS").containsEntry("target postgres: view schema", "PASS")
                .containsEntry("target postgres: probe view", "PASS").containsEntry("target postgres: source tables", "PASS")
                .containsEntry("target maria: source tables", "PASS");
        assertThat(POSTGRES.views()).as("the probe view is gone again").isEmpty();
    }

    @Test
    void aWrongApiKeyFailsAuthenticationAndSaysWhichKeyToSet() {
        JsonNode report = preflight(Map.of("immuta.api-key", "not-the-key"));

        assertThat(report.path("passed").asBoolean()).isFalse();
        JsonNode authenticate = check(report, "immuta: authenticate");
        assertThat(authenticate.path("result").asText()).isEqualTo("FAIL");
        assertThat(authenticate.path("detail").asText()).contains("Immuta answered HTTP 401 to POST /bim/apikey/authenticate");
        assertThat(authenticate.path("fix").asText()).contains("IMMUTA_API_KEY", "APPLICATION_ADMIN");
        assertThat(check(report, "immuta: view SQL").path("result").asText()).isEqualTo("SKIP");
    }

    @Test
    void aWrongViewSqlPathFailsAndSaysWhichSettingNamesTheEndpoint() {
        FakeImmuta.everythingElseNotFound();
        ImmutaContract.viewSqlEndpointAt("/views/[0-9]+");

        JsonNode report = preflight(Map.of("immuta.paths.view-sql", "/views/{dataSourceId}?project={projectId}"));

        JsonNode viewSql = check(report, "immuta: view SQL");
        assertThat(viewSql.path("result").asText()).isEqualTo("FAIL");
        assertThat(viewSql.path("detail").asText()).contains("Immuta answered HTTP 404 to GET /views/1?project=7");
        assertThat(viewSql.path("fix").asText()).contains("IMMUTA_PATHS_VIEWSQL");
        assertThat(check(report, "target postgres: source tables").path("result").asText()).isEqualTo("SKIP");
    }

    @Test
    void viewAccountsWithoutReadOnTheSourceTablesFailWithTheGrantThatFixesIt() {
        POSTGRES.execute("CREATE ROLE " + WEAK_USER + " LOGIN; GRANT USAGE, CREATE ON SCHEMA " + POSTGRES.schema + " TO " + WEAK_USER);
        MARIADB.executeEach(List.of("CREATE USER '" + WEAK_USER + "'@'%'", "CREATE USER '" + WEAK_USER + "'@'localhost'",
                "GRANT CREATE VIEW, SHOW VIEW, DROP, SELECT ON " + MARIADB.schema + ".* TO '" + WEAK_USER + "'@'%'",
                "GRANT CREATE VIEW, SHOW VIEW, DROP, SELECT ON " + MARIADB.schema + ".* TO '" + WEAK_USER + "'@'localhost'"));

        JsonNode report = preflight(Map.of("viewsync.targets.postgres.username", WEAK_USER, "viewsync.targets.maria.username", WEAK_USER));

        assertThat(check(report, "target postgres: probe view").path("result").asText()).isEqualTo("PASS");
        JsonNode postgres = check(report, "target postgres: source tables");
        assertThat(postgres.path("result").asText()).isEqualTo("FAIL");
        assertThat(postgres.path("detail").asText()).contains("permission denied");
        assertThat(postgres.path("fix").asText()).isEqualTo("GRANT USAGE ON SCHEMA sales TO " + WEAK_USER
                + "; GRANT SELECT ON sales.customers TO " + WEAK_USER);
        JsonNode maria = check(report, "target maria: source tables");
        assertThat(maria.path("result").asText()).isEqualTo("FAIL");
        assertThat(maria.path("fix").asText()).isEqualTo("GRANT SELECT ON sales.customers TO '" + WEAK_USER + "'");
    }

    @Test
    void aMissingViewSchemaTheAccountCannotCreateFailsWithTheStatementThatFixesIt() {
        POSTGRES.execute("CREATE ROLE " + WEAK_USER + " LOGIN");
        MARIADB.executeEach(List.of("CREATE USER '" + WEAK_USER + "'@'%'", "CREATE USER '" + WEAK_USER + "'@'localhost'"));

        JsonNode report = preflight(Map.of("viewsync.targets.postgres.username", WEAK_USER, "viewsync.targets.postgres.schema", "missing_views",
                "viewsync.targets.maria.username", WEAK_USER, "viewsync.targets.maria.schema", "missing_views"));

        JsonNode postgres = check(report, "target postgres: view schema");
        assertThat(postgres.path("result").asText()).isEqualTo("FAIL");
        assertThat(postgres.path("fix").asText()).startsWith("CREATE SCHEMA missing_views AUTHORIZATION " + WEAK_USER);
        JsonNode maria = check(report, "target maria: view schema");
        assertThat(maria.path("result").asText()).isEqualTo("FAIL");
        assertThat(maria.path("fix").asText()).startsWith("CREATE DATABASE missing_views; GRANT CREATE VIEW");
        assertThat(check(report, "target postgres: probe view").path("result").asText()).isEqualTo("SKIP");
    }

    @Test
    void theCommandLineRunPrintsTheTableAndExitsNonZeroOnAFailure() throws Exception {
        // Both at once: each is a JVM starting up.
        CompletableFuture<CommandRun> passingRun = CompletableFuture.supplyAsync(() -> command(Map.of()));
        CommandRun failing = command(Map.of("immuta.api-key", "not-the-key"));
        CommandRun passing = passingRun.join();

        assertThat(passing.exitCode()).as(passing.output()).isZero();
        assertThat(passing.output()).contains("Preflight: PASSED").containsPattern("PASS +target postgres: source tables +read \\[sales.customers]");
        assertThat(failing.exitCode()).as(failing.output()).isEqualTo(1);
        assertThat(failing.output()).contains("Preflight: FAILED").containsPattern("FAIL +immuta: authenticate +Immuta answered HTTP 401")
                .contains("fix: set IMMUTA_URL to your Immuta's base URL and IMMUTA_API_KEY");
        assertThat(failing.output()).as("no route of its own ran").doesNotContain("Registered webhook");
    }

    /** POST /admin/preflight on a running service. */
    private static JsonNode preflight(Map<String, String> settings) {
        int port = Services.freePort();
        try (ConfigurableApplicationContext service = Services.start(arguments(port, settings))) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(Services.asAdmin(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/admin/preflight")).POST(HttpRequest.BodyPublishers.noBody())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return new ObjectMapper().readTree(answer.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    record CommandRun(int exitCode, String output) {
    }

    /** {@code --preflight} in a JVM of its own, as an init container runs it. */
    private static CommandRun command(Map<String, String> settings) {
        List<String> arguments = new java.util.ArrayList<>(arguments(Services.freePort(), settings));
        arguments.add("--preflight");
        try {
            Process process = new ProcessBuilder(Services.javaCommand(Services.SHORT_LIVED_JVM, ViewSyncApplication.class, arguments)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new CommandRun(process.exitValue(), output);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> arguments(int port, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(Map.of("immuta.page-size", "100",
                "viewsync.targets.maria.url", MARIADB.url, "viewsync.targets.maria.username", MARIADB.user,
                "viewsync.targets.maria.handler-types", MARIADB.handlerType, "viewsync.targets.maria.schema", MARIADB.schema,
                "viewsync.targets.postgres.schema", POSTGRES.schema));
        properties.putAll(settings);
        return Services.againstFakeImmuta(port, "jdbc:h2:mem:preflight-" + port + ";DB_CLOSE_DELAY=-1", properties);
    }

    private static Map<String, String> results(JsonNode report) {
        Map<String, String> results = new java.util.LinkedHashMap<>();
        report.path("checks").forEach(check -> results.put(check.path("check").asText(), check.path("result").asText()));
        return results;
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("check").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + report.toPrettyString());
    }
}
