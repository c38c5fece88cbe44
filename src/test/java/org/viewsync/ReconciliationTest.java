package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.ViewSyncIntegrationTest;

/** The safety net: whatever happened to the views, a reconciliation run makes them what Immuta wants. */
class ReconciliationTest extends ViewSyncIntegrationTest {

    static final String SQL = "SELECT id, name, 'REDACTED' AS email FROM sales.customers";

    @BeforeEach
    void immutaWantsTwoSourcesInTwoProjects() {
        FakeImmuta.equalizedProjects(PAGE_SIZE, Map.of(1L, "Finance", 2L, "Risk"));
        for (long project = 1; project <= 2; project++) {
            FakeImmuta.project(project, project == 1 ? "Finance" : "Risk", true);
            FakeImmuta.projectDataSources(project, PAGE_SIZE, List.of(
                    FakeImmuta.projectDataSource(1, "Customers", "PostgreSQL"),
                    FakeImmuta.projectDataSource(2, "Clients", "MariaDB"),
                    FakeImmuta.projectDataSource(3, "Events", "Snowflake")));
            FakeImmuta.viewSql(1, project, SQL);
            FakeImmuta.viewSql(2, project, SQL);
        }
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.dataSource(2, "Clients", "clients", "MariaDB");
        FakeImmuta.dataSource(3, "Events", "events", "Snowflake");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> reconcile() {
        String report = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/reconcile"))
                .POST(HttpRequest.BodyPublishers.noBody())).body();
        try {
            return new ObjectMapper().readValue(report, Map.class);
        } catch (Exception e) {
            throw new IllegalStateException(report, e);
        }
    }

    @Test
    void createsEveryWantedViewFromEmpty() {
        Map<String, Object> report = reconcile();

        assertThat(POSTGRES.views()).containsExactly("finance__customers", "risk__customers");
        assertThat(MARIADB.views()).containsExactly("finance__clients", "risk__clients");
        assertThat(report).containsEntry("wanted", 4).containsEntry("created", 4).containsEntry("replaced", 0)
                .containsEntry("dropped", 0).containsEntry("failed", 0).containsKey("durationMs");
    }

    /**
     * The run answers once the view tasks it scheduled are done. The wait must hold on an exchange of its own: it once
     * ran only because a paging loop of the Immuta calls had left its loop index behind.
     */
    @Test
    void theWaitForViewTasksLastsUntilNoneIsPending() {
        state.update("INSERT INTO view_task (project_id, data_source_id, action, project, data_source, version, status, attempts,"
                + " due_at) VALUES (99, 99, 'DROP', '{\"id\":99,\"name\":\"Nobody\"}', '{\"id\":99}', 1, 'PENDING', 0, ?)",
                Timestamp.from(Instant.now()));

        camel.createProducerTemplate().sendBody("direct:await-view-tasks", null);

        assertThat(state.queryForObject("SELECT COUNT(*) FROM view_task WHERE status = 'PENDING'", Long.class)).isZero();
    }

    @Test
    void runsNoDdlWhenNothingChanged() {
        reconcile();
        long ddlBefore = timesRun("create-or-replace-view");

        Map<String, Object> report = reconcile();

        assertThat(timesRun("create-or-replace-view")).isEqualTo(ddlBefore);
        assertThat(report).containsEntry("unchanged", 4).containsEntry("created", 0).containsEntry("replaced", 0);
    }

    @Test
    void anUnchangedRunAsksForEachViewSqlOnceAndSchedulesNothing() {
        reconcile();
        FakeImmuta.server().resetRequests();
        long tasksBefore = timesRun("insert-view-task") + timesRun("merge-view-task");

        reconcile();

        assertThat(FakeImmuta.count(getRequestedFor(urlPathMatching("/dataSource/\\d+/viewSql")))).isEqualTo(4);
        assertThat(timesRun("insert-view-task") + timesRun("merge-view-task")).isEqualTo(tasksBefore);
    }

    @Test
    void catchesUpWithAPolicyChangeItWasNotToldAbout() {
        reconcile();
        FakeImmuta.viewSql(1, 1, "SELECT id, 'REDACTED' AS name FROM sales.customers");

        Map<String, Object> report = reconcile();

        assertThat(POSTGRES.rows("finance__customers")).extracting(row -> row.get("name")).containsOnly("REDACTED");
        assertThat(POSTGRES.rows("risk__customers")).extracting(row -> row.get("name")).contains("Ada");
        assertThat(report).containsEntry("replaced", 1).containsEntry("unchanged", 3);
    }

    @Test
    void renamesTheViewsOfAProjectRenamedWithoutNotification() {
        reconcile();
        FakeImmuta.equalizedProjects(PAGE_SIZE, Map.of(1L, "Treasury", 2L, "Risk"));
        FakeImmuta.project(1, "Treasury", true);

        reconcile();

        assertThat(POSTGRES.views()).containsExactly("risk__customers", "treasury__customers");
        assertThat(MARIADB.views()).containsExactly("risk__clients", "treasury__clients");
    }

    @Test
    void aViewWhoseSqlImmutaFailsToAnswerForTheComparisonIsStillRepaired() {
        reconcile();
        FakeImmuta.viewSql(1, 1, "SELECT id, 'REDACTED' AS name FROM sales.customers");
        // The comparison's call fails once; the view task's own call then gets the new SQL.
        FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/1/viewSql")).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered").willReturn(aResponse().withStatus(503)));

        Map<String, Object> report = reconcile();

        assertThat(POSTGRES.rows("finance__customers")).extracting(row -> row.get("name")).containsOnly("REDACTED");
        assertThat(report).containsEntry("replaced", 1);
    }

    @Test
    void aTargetOutOfReachDoesNotStopTheRunForTheOthers() {
        FakeImmuta.projectDataSources(1, PAGE_SIZE, List.of(
                FakeImmuta.projectDataSource(1, "Customers", "PostgreSQL"),
                FakeImmuta.projectDataSource(2, "Clients", "MariaDB"),
                FakeImmuta.projectDataSource(4, "Orders", FLAKY_HANDLER)));
        FakeImmuta.dataSource(4, "Orders", "orders", FLAKY_HANDLER);
        FakeImmuta.viewSql(4, 1, SQL);
        reconcile();
        FLAKY_POSTGRES.down();
        POSTGRES.execute("DROP VIEW immuta_views.finance__customers");

        Map<String, Object> report = reconcile();

        assertThat(report).containsEntry("uncheckedTargets", List.of("flaky")).containsEntry("created", 1).containsEntry("failed", 0);
        assertThat(POSTGRES.views()).containsExactly("finance__customers", "risk__customers");
    }

    @Test
    void repairsAViewDroppedByHand() {
        reconcile();
        POSTGRES.execute("DROP VIEW immuta_views.finance__customers");

        Map<String, Object> report = reconcile();

        assertThat(POSTGRES.views()).containsExactly("finance__customers", "risk__customers");
        assertThat(report).containsEntry("missingInTarget", 1).containsEntry("created", 1).containsEntry("unchanged", 3);
    }

    @Test
    void replacesAViewEditedByHand() {
        reconcile();
        MARIADB.execute("CREATE OR REPLACE VIEW immuta_views.risk__clients AS SELECT id, name, email FROM sales.customers");

        Map<String, Object> report = reconcile();

        assertThat(MARIADB.rows("risk__clients")).extracting(row -> row.get("email")).containsOnly("REDACTED");
        assertThat(report).containsEntry("editedInTarget", 1).containsEntry("created", 0).containsEntry("replaced", 1);
    }

    @Test
    void dropsWhatImmutaNoLongerWantsAndNeverTouchesOtherViews() {
        reconcile();
        POSTGRES.execute("CREATE VIEW immuta_views.someone_elses AS SELECT id FROM sales.customers");
        FakeImmuta.projectDataSources(2, PAGE_SIZE, List.of(FakeImmuta.projectDataSource(2, "Clients", "MariaDB")));

        Map<String, Object> report = reconcile();

        assertThat(POSTGRES.views()).containsExactly("finance__customers", "someone_elses");
        assertThat(report).containsEntry("dropped", 1).containsEntry("wanted", 3);
    }

    @Test
    void theLastReportStaysReadable() {
        reconcile();

        String last = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/reconcile")).GET()).body();

        assertThat(last).contains("\"created\":4");
        String metric = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/metrics/viewsync.reconciliation.last?tag=outcome:created")).GET()).body();
        assertThat(metric).contains("\"value\":4.0");
    }
}
