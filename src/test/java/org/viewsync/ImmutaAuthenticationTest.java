package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

class ImmutaAuthenticationTest extends ViewSyncIntegrationTest {

    @Test
    void anExpiredTokenIsRenewedOnceAndTheCallRepeated() {
        deliver(Notifications.projectCreated(1));
        FakeImmuta.issueToken("token-2");
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        int authenticationsBefore = FakeImmuta.count(postRequestedFor(urlEqualTo("/bim/apikey/authenticate")));

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/bim/apikey/authenticate"))) - authenticationsBefore)
                .isLessThanOrEqualTo(1);
        FakeImmuta.server().verify(getRequestedFor(urlEqualTo("/dataSource/1")).withHeader("Authorization", equalTo("Bearer token-2")));
    }

    @Test
    void theApiKeyIsSentAsJsonAndNeverInAUrl() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");

        deliver(Notifications.addedToProject(1, 7));

        assertThat(FakeImmuta.server().getAllServeEvents())
                .noneMatch(event -> event.getRequest().getUrl().contains(FakeImmuta.API_KEY));
    }
}
