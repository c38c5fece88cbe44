package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

class AddedToProjectTest extends ViewSyncIntegrationTest {

    static final String MASKED_EU_SQL = "SELECT id, name, CASE WHEN region = 'EU' THEN 'REDACTED' ELSE email END AS email, region"
            + " FROM sales.customers WHERE region <> 'APAC'";

    @Test
    void createsThePolicyViewInPostgres() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Regulated Clients", true);
        FakeImmuta.viewSql(1, 7, MASKED_EU_SQL);

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactly("regulated_clients__customers");
        assertThat(POSTGRES.rows("regulated_clients__customers")).containsExactly(
                Map.of("id", 1, "name", "Ada", "email", "REDACTED", "region", "EU"),
                Map.of("id", 2, "name", "Bob", "email", "bob@example.com", "region", "US"));
        assertThat(MARIADB.views()).isEmpty();
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/1/viewSql")))).isEqualTo(1);
    }

    @Test
    void createsThePolicyViewInMariaDbFromPlainTextSql() {
        FakeImmuta.dataSource(2, "Customers", "customers", "MariaDB");
        FakeImmuta.project(7, "Regulated Clients", true);
        FakeImmuta.viewSqlAsText(2, 7, MASKED_EU_SQL);

        deliver(Notifications.addedToProject(2, 7));

        assertThat(MARIADB.views()).containsExactly("regulated_clients__customers");
        assertThat(MARIADB.rows("regulated_clients__customers")).extracting(row -> row.get("email"))
                .containsExactly("REDACTED", "bob@example.com");
        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void leavesProjectsThatAreNotEqualizedAlone() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(8, "Sandbox", false);
        FakeImmuta.viewSql(1, 8, MASKED_EU_SQL);

        deliver(Notifications.addedToProject(1, 8));

        assertThat(POSTGRES.views()).isEmpty();
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/1/viewSql")))).isZero();
    }

    @Test
    void leavesDataSourcesOfUnservedHandlersAlone() {
        FakeImmuta.dataSource(3, "Orders", "orders", "Snowflake");
        FakeImmuta.project(7, "Regulated Clients", true);

        deliver(Notifications.addedToProject(3, 7));

        assertThat(POSTGRES.views()).isEmpty();
        assertThat(MARIADB.views()).isEmpty();
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/project/7")))).as("no project lookup").isZero();
    }

    @Test
    void doesNotCreateAViewOfADisabledDataSource() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL", true);
        FakeImmuta.project(7, "Regulated Clients", true);
        FakeImmuta.viewSql(1, 7, MASKED_EU_SQL);

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void recordsTheViewItManages() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Regulated Clients", true);
        FakeImmuta.viewSql(1, 7, MASKED_EU_SQL);

        deliver(Notifications.addedToProject(1, 7));

        List<Map<String, Object>> managed = state.queryForList(
                "SELECT target_name, schema_name, view_name, project_id, data_source_id, view_sql FROM managed_view");
        assertThat(managed).containsExactly(Map.of("TARGET_NAME", "postgres", "SCHEMA_NAME", "immuta_views",
                "VIEW_NAME", "regulated_clients__customers", "PROJECT_ID", 7L, "DATA_SOURCE_ID", 1L, "VIEW_SQL", MASKED_EU_SQL));
    }
}
