package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * A MariaDB state database, whole: a notification takes effect, and the notifications and view tasks are claimed with
 * MariaDB's own claims (what those read is in StateStatementsTest).
 */
class MariaDbStateTest {

    private static final String STATE_DATABASE = "viewsync_maria_state";

    @Test
    void aNotificationTakesEffectThroughMariaDbsOwnClaims() throws Exception {
        TargetDatabase.MARIADB.executeEach(List.of("DROP DATABASE IF EXISTS " + STATE_DATABASE, "CREATE DATABASE " + STATE_DATABASE));
        FakeImmuta.reset();
        TargetDatabase.POSTGRES.reset();
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        int port = Services.freePort();
        try (ConfigurableApplicationContext service = Services.start(Services.againstFakeImmuta(port,
                TargetDatabase.MARIADB.url + STATE_DATABASE, Map.of("spring.datasource.username", TargetDatabase.MARIADB.user)))) {
            HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Notifications.addedToProject(1, 7))).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(answer.statusCode()).isEqualTo(202);

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> TargetDatabase.POSTGRES.views().contains("clients__customers"));

            ManagedCamelContext camel = service.getBean(CamelContext.class).getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
            for (String claim : List.of("inbox-claim-due-rows-on-mariadb", "view-task-claim-due-rows-on-mariadb")) {
                assertThat(camel.getManagedProcessor(claim).getExchangesTotal()).as(claim).isPositive();
            }
            for (String claim : List.of("inbox-claim-due-rows", "view-task-claim-due-rows")) {
                assertThat(camel.getManagedProcessor(claim).getExchangesTotal()).as(claim).isZero();
            }
        } finally {
            TargetDatabase.MARIADB.execute("DROP DATABASE IF EXISTS " + STATE_DATABASE);
        }
    }
}
