package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.ViewSyncIntegrationTest;

/**
 * A subscribed notification that lacks a field its workflow reads is stored (Immuta never sends it again) and made
 * good by reconciling the model it names: the project or data source, or everything when it names neither.
 */
@ExtendWith(OutputCaptureExtension.class)
class IncompleteNotificationTest extends ViewSyncIntegrationTest {

    static final String SQL = "SELECT id, name FROM sales.customers";

    @BeforeEach
    void customersAndOrdersInClients() {
        POSTGRES.execute("CREATE TABLE IF NOT EXISTS sales.orders (id INT PRIMARY KEY, amount INT)");
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.dataSource(2, "Orders", "orders", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, SQL);
        FakeImmuta.viewSql(2, 7, "SELECT id FROM sales.orders");
        FakeImmuta.projectDataSources(7, PAGE_SIZE, List.of(FakeImmuta.projectDataSource(1, "Customers", "PostgreSQL"),
                FakeImmuta.projectDataSource(2, "Orders", "PostgreSQL")));
        FakeImmuta.projectsContaining(1, PAGE_SIZE, Map.of(7L, "Clients"));
        FakeImmuta.equalizedProjects(PAGE_SIZE, Map.of(7L, "Clients"));
    }

    @Test
    void anAddedToProjectWithoutItsDataSourceReconcilesTheProject(CapturedOutput output) {
        deliver("{\"notificationType\":\"addedToProject\",\"modelType\":\"project\",\"modelId\":7,\"projectName\":\"Clients\"}");

        assertThat(POSTGRES.views()).containsExactly("clients__customers", "clients__orders");
        assertThat(output).contains("lacks what its workflow reads: dataSourceId must be a positive integer; reconciling the model it names instead");
    }

    @Test
    void aDataSourceUpdatedWithAnUnreadableFieldReconcilesTheDataSource() {
        deliver("{\"notificationType\":\"dataSourceUpdated\",\"modelType\":\"datasource\",\"modelId\":1,\"fields\":\"disabled\"}");

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }

    @Test
    void aNotificationThatNamesNoModelReconcilesEverything() {
        deliver("{\"notificationType\":\"policyUpdated\",\"modelType\":\"datasource\",\"modelId\":\"1\"}");

        assertThat(POSTGRES.views()).containsExactly("clients__customers", "clients__orders");
        assertThat(state.queryForObject("SELECT count(*) FROM lease WHERE name = 'reconciliation' AND requested_at IS NOT NULL",
                Integer.class)).as("the request answered").isZero();
    }
}
