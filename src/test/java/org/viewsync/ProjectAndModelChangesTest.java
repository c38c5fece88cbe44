package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/** Notifications beyond the guide's four that mean views must go or be rebuilt. */
class ProjectAndModelChangesTest extends ViewSyncIntegrationTest {

    @BeforeEach
    void customersInClients() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        deliver(Notifications.addedToProject(1, 7));
        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }

    @Test
    void aRenamedProjectRenamesItsViewsAtOnce() {
        FakeImmuta.project(7, "Regulated Clients", true);
        FakeImmuta.projectDataSources(7, PAGE_SIZE, java.util.List.of(FakeImmuta.projectDataSource(1, "Customers", "PostgreSQL")));

        deliver(Notifications.other("projectUpdated", "project", 7, null));

        assertThat(POSTGRES.views()).containsExactly("regulated_clients__customers");
        assertThat(state.queryForObject("SELECT project_name FROM managed_view WHERE project_id = 7", String.class))
                .isEqualTo("Regulated Clients");
    }

    @Test
    void anUpdatedProjectLosesTheViewsOfDataSourcesItNoLongerLists() {
        FakeImmuta.projectDataSources(7, PAGE_SIZE, java.util.List.of());

        deliver(Notifications.other("projectUpdated", "project", 7, null));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void anExpiredDataSourceLosesItsViews() {
        deliver(Notifications.other("dataSourceExpired", "datasource", 1, null));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void aProjectNoLongerEqualizedLosesItsViews() {
        FakeImmuta.project(7, "Clients", false);

        deliver(Notifications.other("projectEqualizationToggled", "project", 7, null));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void aDisabledProjectLosesItsViews() {
        deliver(Notifications.other("projectDisabled", "project", 7, null));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void aDeletedProjectLosesItsViews() {
        deliver(Notifications.other("modelDeleted", "project", 7, null));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void aDeletedDataSourceLosesItsViews() {
        deliver(Notifications.other("modelDeleted", "datasource", 1, null));

        assertThat(POSTGRES.views()).isEmpty();
    }

    @Test
    void aDeletedOrExpiredSourceRemovedFromAProjectLosesItsView() {
        deliver(Notifications.other("expiredDatasourceRemovedFromProject", "project", 7, 1L));

        assertThat(POSTGRES.views()).isEmpty();
    }
}
