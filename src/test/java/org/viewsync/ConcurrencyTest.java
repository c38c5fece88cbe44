package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/** Bursts, duplicates and races: work per view is coalesced, exclusive, and ends with Immuta's newest state. */
class ConcurrencyTest extends ViewSyncIntegrationTest {

    static final String OLD = "SELECT id, name, email FROM sales.customers";
    static final String NEW = "SELECT id, name, 'REDACTED' AS email FROM sales.customers";

    @Test
    void aBurstOfPolicyUpdatesCostsOneDdlPerView() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.projectsContaining(1, PAGE_SIZE, Map.of(1L, "Finance", 2L, "Risk", 3L, "Audit"));
        for (long project = 1; project <= 3; project++) {
            FakeImmuta.viewSql(1, project, NEW);
        }
        long ddlBefore = timesRun("create-or-replace-view");

        IntStream.range(0, 300).parallel().forEach(i -> post(Notifications.dataSourcePolicyUpdated(1), "application/json"));
        awaitQuiet();

        assertThat(POSTGRES.views()).containsExactly("audit__customers", "finance__customers", "risk__customers");
        assertThat(timesRun("create-or-replace-view") - ddlBefore).as("DDL statements").isEqualTo(3);
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/1/viewSql"))))
                .as("view SQL calls, against 900 without coalescing").isLessThan(60);
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
}
