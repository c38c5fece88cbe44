package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * Two instances on one PostgreSQL state database, as replicas run on Kubernetes: each notification takes effect
 * once, and each view is worked on by one instance at a time.
 */
class MultiInstanceTest {

    static final int SOURCES = 60;

    @Test
    void twoInstancesShareTheWorkAndEachNotificationTakesEffectOnce() throws Exception {
        String state = Services.freshPostgresState("viewsync_shared_state");
        FakeImmuta.project(7, "Clients", true);
        for (long source = 1; source <= SOURCES; source++) {
            FakeImmuta.dataSource(source, "Table " + source, "table_" + source, "PostgreSQL");
            FakeImmuta.viewSql(source, 7, "SELECT id, name FROM sales.customers");
        }
        int portA = Services.freePort();
        int portB = Services.freePort();
        HttpClient http = HttpClient.newHttpClient();
        try (ConfigurableApplicationContext a = Services.start(Services.againstFakeImmuta(portA, state, Map.of()));
             ConfigurableApplicationContext b = Services.start(Services.againstFakeImmuta(portB, state, Map.of()))) {
            IntStream.rangeClosed(1, SOURCES).parallel().forEach(source -> {
                int port = source % 2 == 0 ? portA : portB;
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Notifications.addedToProject(source, 7))).build();
                try {
                    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(state, "postgres", ""));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    TargetDatabase.POSTGRES.views().size() == SOURCES
                            && stateDb.queryForObject("SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM view_task)", Integer.class) == 0);
        }

        for (long source = 1; source <= SOURCES; source++) {
            assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/" + source))))
                    .as("data source %d fetched by one instance, once", source).isEqualTo(1);
            assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/" + source + "/viewSql"))))
                    .as("view %d written by one instance, once", source).isEqualTo(1);
        }
        assertThat(TargetDatabase.POSTGRES.views()).hasSize(SOURCES).allMatch(view -> view.startsWith("clients__table_"));
    }

    static final String FIRST_SQL = "SELECT id, name FROM sales.customers";
    static final String NEWER_SQL = "SELECT id, name FROM sales.customers WHERE region = 'EU'";
    static final int SAME_VIEWS = 5;

    /**
     * Both instances are told about the same five views at once (Immuta's deliveries spread over the replicas), and
     * told again while they are still fetching the first SQL, which Immuta has meanwhile replaced. Each instance takes
     * one view at a time (batch size 1, one view worker), so neither can take all five: both work on the same views.
     * Every view ends with the newer SQL, and each version of a view costs one DDL, whichever instance runs it.
     */
    @Test
    void twoInstancesToldAboutTheSameViewsAtOnceEndWithTheNewestSqlAndOneDdlPerVersion() throws Exception {
        String state = Services.freshPostgresState("viewsync_same_views_state");
        FakeImmuta.project(7, "Clients", true);
        for (long source = 1; source <= SAME_VIEWS; source++) {
            FakeImmuta.dataSource(source, "Table " + source, "table_" + source, "PostgreSQL");
            // Slow: the second round of notifications arrives while these are on their way.
            FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/" + source + "/viewSql")).withQueryParam("projectId", equalTo("7"))
                    .willReturn(okJson("{\"sql\": \"" + FIRST_SQL + "\"}").withFixedDelay(1000)));
        }
        Map<String, String> oneViewAtATime = Map.of("viewsync.queue.batch-size", "1", "viewsync.processing.view-concurrency", "1");
        int portA = Services.freePort();
        int portB = Services.freePort();
        JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(state, "postgres", ""));
        try (ConfigurableApplicationContext a = Services.start(Services.againstFakeImmuta(portA, state, oneViewAtATime));
             ConfigurableApplicationContext b = Services.start(Services.againstFakeImmuta(portB, state, oneViewAtATime))) {
            notifyBoth(portA, portB);
            Awaitility.await("every view's first SQL requested").atMost(Duration.ofSeconds(60)).until(() -> IntStream.rangeClosed(1, SAME_VIEWS)
                    .allMatch(source -> FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/" + source + "/viewSql"))) >= 1));

            for (long source = 1; source <= SAME_VIEWS; source++) {
                FakeImmuta.viewSql(source, 7, NEWER_SQL);
            }
            notifyBoth(portA, portB);
            Awaitility.await("both instances done").atMost(Duration.ofSeconds(60)).until(() ->
                    stateDb.queryForObject("SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM view_task)", Integer.class) == 0);

            assertThat(TargetDatabase.POSTGRES.query("SELECT viewname, definition FROM pg_views WHERE schemaname = 'immuta_views'"))
                    .as("every view with Immuta's newest SQL").hasSize(SAME_VIEWS)
                    .allSatisfy(view -> assertThat((String) view.get("definition")).as("%s", view.get("viewname")).contains("'EU'"));
            // Every view had its first SQL fetched (and so written) before Immuta changed it: two versions each.
            assertThat(ddl(a) + ddl(b)).as("DDL statements, A %d and B %d, for %d views in two versions", ddl(a), ddl(b), SAME_VIEWS)
                    .isEqualTo(2 * SAME_VIEWS);
            for (ConfigurableApplicationContext instance : List.of(a, b)) {
                assertThat(managed(instance).getManagedRoute("webhook-intake").getExchangesTotal()).as("deliveries taken").isEqualTo(2 * SAME_VIEWS);
                assertThat(timesRun(instance, "get-view-sql")).as("view SQL fetched by each instance").isPositive();
            }
        }
    }

    /** Each instance is told about every view, all at once. */
    private static void notifyBoth(int portA, int portB) {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (long source = 1; source <= SAME_VIEWS; source++) {
            for (int port : List.of(portA, portB)) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Notifications.addedToProject(source, 7)))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        assertThat(answers).extracting(answer -> answer.join().statusCode()).containsOnly(202);
    }

    /** The DDL statements an instance ran: CREATE OR REPLACE VIEW, or DROP and CREATE when the columns changed. */
    private static long ddl(ConfigurableApplicationContext instance) {
        return timesRun(instance, "create-or-replace-view") + timesRun(instance, "drop-and-create-view");
    }

    /** How many times the instance ran the route step, as Hawtio shows it; 0 for a step that never ran. */
    private static long timesRun(ConfigurableApplicationContext instance, String stepId) {
        var step = managed(instance).getManagedProcessor(stepId);
        return step == null ? 0 : step.getExchangesTotal();
    }

    private static ManagedCamelContext managed(ConfigurableApplicationContext instance) {
        return instance.getBean(CamelContext.class).getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
    }
}
