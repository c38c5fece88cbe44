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
    void callsRefusedTogetherForAnExpiredTokenAuthenticateOnce() {
        camel.setVariable("global:immutaToken", FakeImmuta.FIRST_TOKEN);
        FakeImmuta.issueToken("token-2");
        // The expired token's refusals come slowly, so that every worker's call is refused while the others wait.
        FakeImmuta.server().stubFor(any(anyUrl()).withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN)).atPriority(90)
                .willReturn(aResponse().withStatus(401).withFixedDelay(1000).withBody("Invalid token")));
        FakeImmuta.project(7, "Clients", true);
        for (int dataSource = 1; dataSource <= 6; dataSource++) {
            FakeImmuta.dataSource(dataSource, "Table " + dataSource, "table_" + dataSource, "PostgreSQL");
            FakeImmuta.viewSql(dataSource, 7, "SELECT id FROM sales.customers WHERE id <> " + dataSource);
        }
        int authenticationsBefore = FakeImmuta.count(postRequestedFor(urlEqualTo("/bim/apikey/authenticate")));

        for (int dataSource = 1; dataSource <= 6; dataSource++) {
            assertThat(post(Notifications.addedToProject(dataSource, 7), "application/json").statusCode()).isEqualTo(202);
        }
        awaitQuiet();

        assertThat(POSTGRES.views()).hasSize(6);
        assertThat(FakeImmuta.count(getRequestedFor(urlPathMatching("/dataSource/\\d+")).withHeader("Authorization",
                equalTo("Bearer " + FakeImmuta.FIRST_TOKEN)))).as("calls refused for the expired token").isGreaterThan(1);
        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/bim/apikey/authenticate"))) - authenticationsBefore)
                .as("authentications for them").isEqualTo(1);
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
