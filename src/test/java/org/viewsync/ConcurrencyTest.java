package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.builder.AdviceWith;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.viewsync.config.ViewSyncProperties;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.ViewSyncIntegrationTest;

/** Bursts, duplicates and races: work per view is coalesced, exclusive, and ends with Immuta's newest state. */
class ConcurrencyTest extends ViewSyncIntegrationTest {

    static final String OLD = "SELECT id, name, email FROM sales.customers";
    static final String NEW = "SELECT id, name, 'REDACTED' AS email FROM sales.customers";

    @Autowired
    ViewSyncProperties properties;

    /**
     * 300 policy updates of one data source (each a notification of its own, as Immuta sends one per change) arrive at
     * once. README: each is a delivery the service must take, so each is answered 202 and stored; and notifications
     * about a view within the coalescing window cost one view-SQL call and at most one DDL.
     */
    @Test
    void aBurstOfPolicyUpdatesCostsOneDdlPerView() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.projectsContaining(1, PAGE_SIZE, Map.of(1L, "Finance", 2L, "Risk", 3L, "Audit"));
        for (long project = 1; project <= 3; project++) {
            FakeImmuta.viewSql(1, project, NEW);
        }
        long ddlBefore = timesRun("create-or-replace-view");
        ManagedRouteMBean scheduling = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedRoute("schedule-view");
        scheduling.reset();

        List<HttpResponse<String>> answers = IntStream.range(0, 300).parallel()
                .mapToObj(i -> post(Notifications.dataSourcePolicyUpdated(1).replace("\"actionBy\":1,", "\"actionBy\":" + (1000 + i) + ","), "application/json"))
                .toList();
        awaitQuiet();

        assertThat(answers).extracting(HttpResponse::statusCode).as("signed deliveries within the rate limit").containsOnly(202);
        assertThat(answers).extracting(HttpResponse::body).allMatch(body -> body.matches("\\{\"status\":\"accepted\",\"id\":\"[0-9a-f-]{36}\"}"))
                .as("each a notification of its own, stored").doesNotHaveDuplicates();
        assertThat(POSTGRES.views()).containsExactly("audit__customers", "finance__customers", "risk__customers");
        assertThat(timesRun("create-or-replace-view") - ddlBefore).as("DDL statements").isEqualTo(3);
        // A view's task falls due one window after the request that made it, and runs again, for requests that came
        // while it ran, one window after that run: its runs are at least a window apart, the first a window after the
        // first request, and each but the last was followed by a request. So over requests spanning t ms a view costs
        // at most 1 + floor(t / window) view-SQL calls. t is measured from the first scheduling's completion to the
        // last one's; the first request's due time was taken at most one scheduling's duration before its completion.
        long window = properties.getQueue().getCoalesceWindow().toMillis();
        long span = scheduling.getLastExchangeCompletedTimestamp().getTime() - scheduling.getFirstExchangeCompletedTimestamp().getTime()
                + scheduling.getMaxProcessingTime();
        long perView = 1 + span / window;
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/1/viewSql"))))
                .as("view SQL calls for 3 views over %d ms of scheduling in windows of %d ms (%d schedulings)", span, window, scheduling.getExchangesTotal())
                .isLessThanOrEqualTo((int) (3 * perView));
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).isZero();
    }

    @Test
    void duplicateNotificationsCollapse() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, OLD);
        long ddlBefore = timesRun("create-or-replace-view");

        IntStream.range(0, 20).forEach(i -> post(Notifications.addedToProject(1, 7), "application/json"));
        awaitQuiet();

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
        assertThat(timesRun("create-or-replace-view") - ddlBefore).isEqualTo(1);
    }

    @Test
    void aSlowOldFetchNeverOverwritesANewerOne() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        // The first view SQL call answers the old policy, slowly; every later call answers the new one at once.
        FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/1/viewSql")).atPriority(1).inScenario("policy")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("changed")
                .willReturn(okJson("{\"sql\": \"" + OLD + "\"}").withFixedDelay(1500)));
        FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/1/viewSql")).atPriority(1).inScenario("policy")
                .whenScenarioStateIs("changed").willReturn(okJson("{\"sql\": \"" + NEW.replace("'", "'") + "\"}")));

        post(Notifications.addedToProject(1, 7), "application/json");
        org.awaitility.Awaitility.await().until(() -> FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/1/viewSql"))) == 1);
        // The policy changes while the old SQL is still on its way.
        post(Notifications.dataSourcePolicyUpdated(1), "application/json");
        FakeImmuta.projectsContaining(1, PAGE_SIZE, Map.of(7L, "Clients"));
        awaitQuiet();

        assertThat(POSTGRES.rows("clients__customers")).extracting(row -> row.get("email")).containsOnly("REDACTED");
    }

    /**
     * Scheduling finds the view's task, and a worker completes (deletes) it before the request can renew it: the
     * request must get a task of its own, or the view keeps whatever SQL that worker had fetched. The worker's
     * completion is made to fall exactly between the two statements, on an instance of its own.
     */
    @Test
    void aRequestWhoseTaskCompletesMeanwhileGetsATaskOfItsOwn() throws Exception {
        String stateUrl = Services.freshPostgresState("viewsync_race_state");
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, NEW);
        JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(stateUrl, "postgres", ""));
        AtomicInteger completedMeanwhile = new AtomicInteger();
        int port = Services.freePort();
        try (ConfigurableApplicationContext service = Services.start(Services.againstFakeImmuta(port, stateUrl, Map.of()))) {
            // A task for the view that no worker claims before the test says so...
            stateDb.update("INSERT INTO view_task (project_id, data_source_id, action, version, status, attempts, due_at)"
                    + " VALUES (7, 1, 'APPLY', 1, 'PENDING', 0, ?)", Timestamp.from(Instant.now().plusSeconds(3600)));
            // ...and its worker finishing right after the new request found it.
            AdviceWith.adviceWith(service.getBean(CamelContext.class), "schedule-view", route -> route.weaveById("merge-view-task")
                    .before().process(exchange -> completedMeanwhile.addAndGet(
                            stateDb.update("DELETE FROM view_task WHERE project_id = 7 AND data_source_id = 1"))));

            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Notifications.addedToProject(1, 7)))
                    .build(), HttpResponse.BodyHandlers.discarding());

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> POSTGRES.views().contains("clients__customers"));
        }
        assertThat(completedMeanwhile).as("the task was completed between the two statements").hasValue(1);
        assertThat(POSTGRES.rows("clients__customers")).extracting(row -> row.get("email")).containsOnly("REDACTED");
    }
}
