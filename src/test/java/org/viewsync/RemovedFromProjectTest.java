package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

class RemovedFromProjectTest extends ViewSyncIntegrationTest {

    static final String SQL = "SELECT id, name FROM sales.customers";

    private void customersIn(long project, String handler) {
        FakeImmuta.dataSource(21, "Customers", "customers", handler);
        FakeImmuta.project(project, "Clients", true);
        FakeImmuta.viewSql(21, project, SQL);
        deliver(Notifications.addedToProject(21, project));
    }

    @Test
    void dropsTheViewInPostgres() {
        customersIn(4, "PostgreSQL");
        assertThat(POSTGRES.views()).containsExactly("clients__customers");

        deliver(Notifications.removedFromProject(21, 4));

        assertThat(POSTGRES.views()).isEmpty();
        assertThat(state.queryForObject("SELECT count(*) FROM managed_view", Integer.class)).isZero();
    }

    @Test
    void dropsTheViewInMariaDb() {
        customersIn(4, "MariaDB");
        assertThat(MARIADB.views()).containsExactly("clients__customers");

        deliver(Notifications.removedFromProject(21, 4));

        assertThat(MARIADB.views()).isEmpty();
    }

    @Test
    void keepsTheOtherProjectsViews() {
        customersIn(4, "PostgreSQL");
        FakeImmuta.project(5, "Partners", true);
        FakeImmuta.viewSql(21, 5, SQL);
        deliver(Notifications.addedToProject(21, 5));

        deliver(Notifications.removedFromProject(21, 4));

        assertThat(POSTGRES.views()).containsExactly("partners__customers");
    }

    @Test
    void neverDropsAViewItDidNotCreate() {
        POSTGRES.execute("CREATE VIEW immuta_views.clients__customers AS SELECT id FROM sales.customers");
        FakeImmuta.dataSource(21, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(4, "Clients", true);

        deliver(Notifications.removedFromProject(21, 4));

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }

    @Test
    void leavesProjectsThatAreNotEqualizedAlone() {
        customersIn(4, "PostgreSQL");
        FakeImmuta.project(4, "Clients", false);

        deliver(Notifications.removedFromProject(21, 4));

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }
}
