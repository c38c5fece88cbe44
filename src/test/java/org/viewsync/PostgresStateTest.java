package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * The failure bookkeeping on a PostgreSQL state database, which types its parameters strictly, and the connection
 * settings its queue claims need (what they read is in StateStatementsTest).
 */
class PostgresStateTest {

    @Test
    void theStateDatabasesConnectionsPlanWithoutBitmapScans() throws Exception {
        String state = Services.freshPostgresState("viewsync_pg_planning");
        try (ConfigurableApplicationContext service = Services.start(Services.againstFakeImmuta(Services.freePort(), state, Map.of()))) {
            JdbcTemplate stateDb = new JdbcTemplate(service.getBean(DataSource.class));

            assertThat(stateDb.queryForObject("SHOW enable_bitmapscan", String.class)).isEqualTo("off");
        }
    }

    @Test
    void aNotificationThatKeepsFailingEndsFailedAndIsReplayable() throws Exception {
        String state = Services.freshPostgresState("viewsync_pg_state");
        FakeImmuta.server().stubFor(get("/dataSource/1").atPriority(1).willReturn(serverError()));
        int port = Services.freePort();
        HttpClient http = HttpClient.newHttpClient();
        JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(state, "postgres", ""));
        try (ConfigurableApplicationContext service = Services.start(Services.againstFakeImmuta(port, state,
                Map.of("viewsync.queue.max-attempts", "3")))) {
            http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Notifications.addedToProject(1, 7))).build(), HttpResponse.BodyHandlers.discarding());

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    stateDb.queryForObject("SELECT count(*) FROM inbox WHERE status = 'FAILED' AND attempts = 3", Integer.class) == 1);

            FakeImmuta.reset();
            FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
            FakeImmuta.project(7, "Clients", true);
            FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
            http.send(Services.asAdmin(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/failed/replay")))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> TargetDatabase.POSTGRES.views().contains("clients__customers"));
        }
        assertThat(stateDb.queryForObject("SELECT count(*) FROM inbox", Integer.class)).isZero();
    }
}
