package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

class PolicyUpdatedTest extends ViewSyncIntegrationTest {

    static final String OPEN = "SELECT id, name, email, region FROM sales.customers";
    static final String MASKED = "SELECT id, name, 'REDACTED' AS email, region FROM sales.customers";
    static final String FEWER_COLUMNS = "SELECT id, name FROM sales.customers WHERE region = 'US'";

    @Test
    void dataSourcePolicyRegeneratesTheViewInEveryEqualizedProject() {
        FakeImmuta.dataSource(31, "Customers", "customers", "PostgreSQL");
        FakeImmuta.projectsContaining(31, PAGE_SIZE, Map.of(1L, "Finance", 2L, "Marketing", 3L, "Risk"));
        for (long project = 1; project <= 3; project++) {
            FakeImmuta.viewSql(31, project, OPEN);
        }
        deliver(Notifications.dataSourcePolicyUpdated(31));
        assertThat(POSTGRES.rows("finance__customers")).extracting(row -> row.get("email")).contains("ada@example.com");

        for (long project = 1; project <= 3; project++) {
            FakeImmuta.viewSql(31, project, MASKED);
        }
        deliver(Notifications.dataSourcePolicyUpdated(31));

        for (String view : List.of("finance__customers", "marketing__customers", "risk__customers")) {
            assertThat(POSTGRES.rows(view)).extracting(row -> row.get("email")).containsOnly("REDACTED");
        }
    }

    @Test
    void aPolicyThatDropsColumnsReplacesThePostgresViewInOneTransaction() {
        FakeImmuta.dataSource(31, "Customers", "customers", "PostgreSQL");
        FakeImmuta.projectsContaining(31, PAGE_SIZE, Map.of(1L, "Finance"));
        FakeImmuta.viewSql(31, 1, OPEN);
        deliver(Notifications.dataSourcePolicyUpdated(31));

        FakeImmuta.viewSql(31, 1, FEWER_COLUMNS);
        deliver(Notifications.dataSourcePolicyUpdated(31));

        assertThat(POSTGRES.rows("finance__customers")).containsExactly(Map.of("id", 2, "name", "Bob"));
    }

    @Test
    void aPolicyThatDropsColumnsReplacesTheMariaDbView() {
        FakeImmuta.dataSource(32, "Customers", "customers", "MariaDB");
        FakeImmuta.projectsContaining(32, PAGE_SIZE, Map.of(1L, "Finance"));
        FakeImmuta.viewSql(32, 1, OPEN);
        deliver(Notifications.dataSourcePolicyUpdated(32));

        FakeImmuta.viewSql(32, 1, FEWER_COLUMNS);
        deliver(Notifications.dataSourcePolicyUpdated(32));

        assertThat(MARIADB.rows("finance__customers")).containsExactly(Map.of("id", 2, "name", "Bob"));
    }

    @Test
    void projectPolicyRegeneratesTheViewsOfItsServedDataSourcesAcrossAllPages() {
        FakeImmuta.project(9, "Regulated Clients", true);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (long source = 41; source <= 44; source++) {
            FakeImmuta.dataSource(source, "Table " + source, "table_" + source, "PostgreSQL");
            FakeImmuta.viewSql(source, 9, MASKED);
            entries.add(FakeImmuta.projectDataSource(source, "Table " + source, "PostgreSQL"));
        }
        FakeImmuta.dataSource(45, "Warehouse", "warehouse", "Snowflake");
        entries.add(FakeImmuta.projectDataSource(45, "Warehouse", "Snowflake"));
        FakeImmuta.projectDataSources(9, PAGE_SIZE, entries);

        deliver(Notifications.projectPolicyUpdated(9));

        assertThat(POSTGRES.views()).containsExactly("regulated_clients__table_41", "regulated_clients__table_42",
                "regulated_clients__table_43", "regulated_clients__table_44");
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/project/9/dataSources")))).as("5 sources, pages of 2").isEqualTo(3);
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/45")))).as("Snowflake source not fetched").isZero();
    }

    @Test
    void projectPolicyOfAProjectThatIsNotEqualizedDoesNothing() {
        FakeImmuta.project(9, "Sandbox", false);

        deliver(Notifications.projectPolicyUpdated(9));

        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/project/9/dataSources")))).isZero();
        assertThat(POSTGRES.views()).isEmpty();
    }
}
