package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.TargetDatabase;
import org.viewsync.support.ViewSyncIntegrationTest;

/** Names from Immuta reach the target database only as slugged, quoted identifiers. */
class HostileNamesTest extends ViewSyncIntegrationTest {

    static final String SQL = "SELECT id, name FROM sales.customers";
    static final String HOSTILE_PROJECT = "Robert\"); DROP TABLE sales.customers; -- `x` ' ünïcödé " + "z".repeat(300);
    static final String HOSTILE_TABLE = "t`; DROP DATABASE sales; /* \" */";

    @Test
    void hostileNamesMakeSafeViewsInPostgres() {
        hostileNamesMakeSafeViews(POSTGRES, "PostgreSQL");
    }

    @Test
    void hostileNamesMakeSafeViewsInMariaDb() {
        hostileNamesMakeSafeViews(MARIADB, "MariaDB");
    }

    private void hostileNamesMakeSafeViews(TargetDatabase target, String handler) {
        FakeImmuta.dataSource(51, "Customers", HOSTILE_TABLE, handler);
        FakeImmuta.project(6, HOSTILE_PROJECT, true);
        FakeImmuta.viewSql(51, 6, SQL);

        deliver(Notifications.addedToProject(51, 6));

        assertThat(target.views()).singleElement().asString().matches("robert_drop_table_sales_customers_x_unicode_z+_[0-9a-f]{8}");
        assertThat(target.views().get(0).length()).isEqualTo(target == POSTGRES ? 63 : 64);
        assertThat(target.query("SELECT count(*) AS n FROM sales.customers")).containsExactly(java.util.Map.of("n", 3L));
    }

    @Test
    void collidingNamesGetDistinctViews() {
        FakeImmuta.dataSource(52, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(1, "Sales EU", true);
        FakeImmuta.project(2, "sales-eu", true);
        FakeImmuta.viewSql(52, 1, SQL);
        FakeImmuta.viewSql(52, 2, SQL + " WHERE region = 'EU'");

        deliver(Notifications.addedToProject(52, 1));
        deliver(Notifications.addedToProject(52, 2));

        assertThat(POSTGRES.views()).hasSize(2).contains("sales_eu__customers")
                .anySatisfy(view -> assertThat(view).matches("sales_eu__customers_[0-9a-f]{8}"));
        assertThat(POSTGRES.rows("sales_eu__customers")).hasSize(3);
        java.util.List<String> names = POSTGRES.views();
        // Regenerating both keeps both: the first keeps its name, the second its suffix.
        FakeImmuta.projectsContaining(52, PAGE_SIZE, java.util.Map.of(1L, "Sales EU", 2L, "sales-eu"));
        FakeImmuta.viewSql(52, 2, SQL + " WHERE region = 'US'");
        deliver(Notifications.dataSourcePolicyUpdated(52));
        assertThat(POSTGRES.views()).isEqualTo(names);
        assertThat(POSTGRES.rows(names.stream().filter(view -> !view.equals("sales_eu__customers")).findFirst().orElseThrow()))
                .as("the second project's view holds its new SQL").singleElement().satisfies(row -> assertThat(row).containsEntry("name", "Bob"));
    }
}
