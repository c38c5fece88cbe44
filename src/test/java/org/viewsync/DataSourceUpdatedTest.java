package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

class DataSourceUpdatedTest extends ViewSyncIntegrationTest {

    static final String SQL = "SELECT id, name, email FROM sales.customers";

    /** Five equalized projects: three pages at the test page size. */
    private static Map<Long, String> fiveProjects() {
        Map<Long, String> projects = new LinkedHashMap<>();
        for (long id = 1; id <= 5; id++) {
            projects.put(id, "Project " + id);
        }
        return projects;
    }

    private void immutaHasCustomersInFiveProjects(boolean disabled) {
        FakeImmuta.dataSource(11, "Customers", "customers", "PostgreSQL", disabled);
        FakeImmuta.projectsContaining(11, PAGE_SIZE, fiveProjects());
        fiveProjects().keySet().forEach(project -> FakeImmuta.viewSql(11, project, SQL));
    }

    @Test
    void createsTheViewInEveryEqualizedProjectAcrossAllPages() {
        immutaHasCustomersInFiveProjects(false);

        deliver(Notifications.dataSourceUpdated(11, false));

        assertThat(POSTGRES.views()).containsExactly("project_1__customers", "project_2__customers",
                "project_3__customers", "project_4__customers", "project_5__customers");
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/project")))).as("pages of 2 for 5 projects").isEqualTo(3);
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/11/viewSql")))).isEqualTo(5);
    }

    @Test
    void dropsTheViewsWhenTheSourceIsDisabledAndRecreatesThemWhenEnabled() {
        immutaHasCustomersInFiveProjects(false);
        deliver(Notifications.dataSourceUpdated(11, false));
        assertThat(POSTGRES.views()).hasSize(5);

        immutaHasCustomersInFiveProjects(true);
        deliver(Notifications.dataSourceUpdated(11, true));
        assertThat(POSTGRES.views()).isEmpty();
        assertThat(state.queryForObject("SELECT count(*) FROM managed_view", Integer.class)).isZero();

        immutaHasCustomersInFiveProjects(false);
        deliver(Notifications.dataSourceUpdated(11, false));
        assertThat(POSTGRES.views()).hasSize(5);
    }

    @Test
    void dropsTheViewsWhenTheNotificationSaysDisabledEvenIfTheSourceStillLooksEnabled() {
        immutaHasCustomersInFiveProjects(false);
        deliver(Notifications.dataSourceUpdated(11, false));

        deliver(Notifications.dataSourceUpdated(11, true));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void dropsEveryViewOfADataSourceImmutaNoLongerHas() {
        immutaHasCustomersInFiveProjects(false);
        deliver(Notifications.dataSourceUpdated(11, false));

        FakeImmuta.dataSourceGone(11);
        deliver(Notifications.dataSourceUpdated(11, false));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void runsNoDdlWhenImmutasSqlDidNotChange() {
        immutaHasCustomersInFiveProjects(false);
        deliver(Notifications.dataSourceUpdated(11, false));
        long ddlBefore = timesRun("create-or-replace-view");

        deliver(Notifications.dataSourceUpdated(11, false));

        assertThat(timesRun("create-or-replace-view")).isEqualTo(ddlBefore);
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/11/viewSql")))).isEqualTo(10);
    }

    @Test
    void ignoresDataSourcesOfUnservedHandlers() {
        FakeImmuta.dataSource(12, "Orders", "orders", "Snowflake");
        FakeImmuta.projectsContaining(12, PAGE_SIZE, fiveProjects());

        deliver(Notifications.dataSourceUpdated(12, false));

        assertThat(POSTGRES.views()).isEmpty();
        assertThat(MARIADB.views()).isEmpty();
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/project")))).as("no project search").isZero();
    }
}
