package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TcpProxy;
import org.viewsync.support.ViewSyncIntegrationTest;

/** What the people who run the service look at: Hawtio and Jolokia, the probes, Prometheus, the log lines. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest extends ViewSyncIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hawtioAnswersAndJolokiaListsEveryRouteByItsId() throws Exception {
        HttpResponse<String> hawtio = get("/actuator/hawtio/");
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");

        JsonNode routes = JSON.readTree(get("/actuator/jolokia/read/org.apache.camel:context=*,type=routes,name=*/RouteId").body());
        List<String> routeIds = new ArrayList<>();
        routes.get("value").forEach(route -> routeIds.add(route.get("RouteId").asText()));
        assertThat(routeIds).hasSize(camel.getRoutes().size())
                .contains("webhook-intake", "notification-dispatch", "process-notification", "apply-view", "reconcile", "immuta-call");

        // Hawtio's route diagram shows each step's statistics: the steps are registered by their ids, and count.
        JsonNode steps = JSON.readTree(get("/actuator/jolokia/read/org.apache.camel:context=*,type=processors,name=*/ProcessorId,ExchangesTotal").body());
        Map<String, Long> exchangesByStep = new HashMap<>();
        steps.get("value").forEach(step -> exchangesByStep.put(step.get("ProcessorId").asText(), step.get("ExchangesTotal").asLong()));
        assertThat(exchangesByStep).containsKeys("get-view-sql", "create-or-replace-view", "view-task-claim-due-rows");
        assertThat(exchangesByStep.get("view-task-claim-due-rows")).as("the view-task worker's claims, counted").isPositive();
    }

    @Test
    void claimsGoOnAfterAnOperatorStopsAndStartsTheClaimRoutes() throws Exception {
        // What Hawtio's Stop and Start buttons do.
        for (String route : List.of("claim-notifications", "claim-view-tasks")) {
            camel.getRouteController().stopRoute(route);
            camel.getRouteController().startRoute(route);
        }
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Regulated Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id, name FROM sales.customers");

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactly("regulated_clients__customers");
    }

    @Test
    void probesReportCamelTheStateDatabaseImmutaAndEachTarget() throws Exception {
        JsonNode liveness = JSON.readTree(get("/actuator/health/liveness").body());
        assertThat(liveness.get("status").asText()).isEqualTo("UP");

        JsonNode readiness = JSON.readTree(get("/actuator/health/readiness").body());
        assertThat(readiness.get("status").asText()).isEqualTo("UP");
        assertThat(readiness.get("components").fieldNames()).toIterable().contains("readinessState", "db", "immuta", "targets");
        assertThat(readiness.at("/components/targets/details").fieldNames()).toIterable().contains("postgres", "maria", "flaky");

        FLAKY_POSTGRES.down();
        HttpResponse<String> degraded = get("/actuator/health/readiness");
        assertThat(degraded.statusCode()).as("still in service: the inbox keeps acknowledging").isEqualTo(200);
        JsonNode degradedBody = JSON.readTree(degraded.body());
        assertThat(degradedBody.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(degradedBody.at("/components/targets/details/flaky").asText()).isEqualTo("unreachable");
    }

    /**
     * Without its state database an instance can acknowledge nothing: readiness answers 503 DOWN, so Kubernetes sends
     * Immuta's deliveries to another replica, and 200 UP again once the database answers. The instance's state database
     * (PostgreSQL) is reached through a relay the test cuts and restores.
     */
    @Test
    void anInstanceWhoseStateDatabaseIsGoneIsTakenOutOfServiceUntilItIsBack() throws Exception {
        TcpProxy relay = new TcpProxy(5432);
        String stateUrl = Services.freshPostgresState("viewsync_readiness_state").replace("127.0.0.1:5432/", "127.0.0.1:" + relay.port() + "/");
        int servicePort = Services.freePort();
        // A connection the pool cannot get fails within a second, not Hikari's default 30.
        try (ConfigurableApplicationContext service = Services.start(Services.againstFakeImmuta(servicePort, stateUrl,
                Map.of("spring.datasource.hikari.connection-timeout", "1000")))) {
            Awaitility.await("ready").atMost(Duration.ofSeconds(30)).until(() -> readiness(servicePort).statusCode() == 200);
            assertThat(JSON.readTree(readiness(servicePort).body()).get("status").asText()).isEqualTo("UP");

            relay.down();
            HttpResponse<String> down = Awaitility.await("out of service").atMost(Duration.ofSeconds(30))
                    .until(() -> readiness(servicePort), response -> response.statusCode() != 200);

            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            JsonNode downBody = JSON.readTree(down.body());
            assertThat(downBody.get("status").asText()).isEqualTo("DOWN");
            assertThat(downBody.at("/components/db/status").asText()).as("the component that says why").isEqualTo("DOWN");

            relay.up();
            HttpResponse<String> back = Awaitility.await("back in service").atMost(Duration.ofSeconds(30))
                    .until(() -> readiness(servicePort), response -> response.statusCode() == 200);
            JsonNode backBody = JSON.readTree(back.body());
            assertThat(backBody.get("status").asText()).isEqualTo("UP");
            assertThat(backBody.at("/components/db/status").asText()).isEqualTo("UP");
        } finally {
            relay.down();
        }
    }

    @Test
    void prometheusShowsNotificationsViewsLatencyImmutaCallsAndQueues(CapturedOutput output) {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        String before = get("/actuator/prometheus").body();

        deliver(Notifications.addedToProject(1, 7));
        post(Notifications.projectCreated(1), "application/json");
        post("{broken", "application/json");
        String after = get("/actuator/prometheus").body();

        for (String series : List.of("viewsync_notifications_received_total\\{[^}]*type=\"addedToProject\"[^}]*}",
                "viewsync_notifications_ignored_total\\{[^}]*}", "viewsync_notifications_rejected_total\\{[^}]*status=\"400\"[^}]*}",
                "viewsync_views_changed_total\\{action=\"created\"[^}]*target=\"postgres\"[^}]*}",
                "viewsync_view_apply_latency_ms_count\\{[^}]*}",
                // Immuta's latency and failures by endpoint: each endpoint has its own route.
                "camel_exchanges_total\\{[^}]*routeId=\"immuta-get-view-sql\"[^}]*}")) {
            assertThat(value(after, series) - value(before, series)).as(series).isEqualTo(1.0);
        }
        assertThat(after).contains("viewsync_inbox{status=\"pending\"}", "viewsync_view_tasks{status=\"failed\"}", "viewsync_reconciliation_last")
                .containsPattern("camel_exchanges_failed_total\\{[^}]*routeId=\"immuta-get-view-sql\"");
        String processed = output.getAll().lines().filter(line -> line.contains("Processed addedToProject for project 7")).findFirst().orElseThrow();
        String correlationId = processed.replaceAll(".*\\[([0-9a-f-]{36})\\].*", "$1");
        assertThat(output.getAll()).as("the view task logs under the notification's correlation id")
                .containsPattern("\\[" + correlationId + "\\] write-view +: Applied view immuta_views.clients__customers");
        assertThat(processed).contains("views scheduled (project/data source): [7/1]");
    }

    /** The sample's value, 0 when the series is not there yet. */
    private static double value(String metrics, String series) {
        java.util.regex.Matcher sample = java.util.regex.Pattern.compile("(?m)^" + series + " ([0-9.E+-]+)$").matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    /** The readiness probe as Kubernetes calls it: without credentials. */
    private static HttpResponse<String> readiness(int servicePort) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + servicePort + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET());
    }
}
