package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/** kill -9 after the 202, in the middle of the work: the next instance finishes it. */
class CrashRecoveryTest {


    @TempDir
    Path logs;

    @Test
    void anAcknowledgedNotificationSurvivesKillDashNine() throws Exception {
        String state = Services.freshPostgresState("viewsync_crash_state");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id, name FROM sales.customers");
        // Immuta is slow to describe the data source: the first instance is caught mid-work.
        FakeImmuta.server().stubFor(get("/dataSource/1").willReturn(okJson(
                "{\"id\": 1, \"name\": \"Customers\", \"sqlTableName\": \"customers\", \"blobHandlerType\": \"PostgreSQL\","
                        + " \"disabled\": false, \"deleted\": false}").withFixedDelay(20_000)));
        Map<String, String> shortClaims = Map.of("viewsync.queue.claim-timeout", "3s");

        int crashingPort = Services.freePort();
        Process crashing = Services.startProcess(Services.SHORT_LIVED_JVM, crashingPort, Services.againstFakeImmuta(crashingPort, state, shortClaims),
                logs.resolve("crashing.log"));
        JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(state, "postgres", ""));
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> acknowledged = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + crashingPort + "/immuta/webhook"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Notifications.addedToProject(1, 7))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(acknowledged.statusCode()).isEqualTo(202);
            Awaitility.await("work under way").atMost(Duration.ofSeconds(30)).until(() ->
                    FakeImmuta.count(getRequestedFor(urlEqualTo("/dataSource/1"))) == 1);
        } finally {
            crashing.destroyForcibly().waitFor();
        }
        assertThat(stateDb.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("the notification is still owed").isEqualTo(1);
        assertThat(TargetDatabase.POSTGRES.views()).isEmpty();

        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        try (ConfigurableApplicationContext restarted = Services.start(Services.againstFakeImmuta(Services.freePort(), state, shortClaims))) {
            Awaitility.await("taken over").atMost(Duration.ofSeconds(60)).until(() -> TargetDatabase.POSTGRES.views().contains("clients__customers"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stateDb.queryForObject("SELECT count(*) FROM inbox", Integer.class) == 0);
        }
    }
}
