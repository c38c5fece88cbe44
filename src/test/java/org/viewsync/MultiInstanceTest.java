package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
 * Two instances on one PostgreSQL state database, as replicas run on Kubernetes: each notification takes effect
 * once, and each view is worked on by one instance at a time.
 */
class MultiInstanceTest {

    static final int SOURCES = 60;

    @Test
    void twoInstancesShareTheWorkAndEachNotificationTakesEffectOnce() throws Exception {
        String state = Services.freshPostgresState("viewsync_shared_state");
        FakeImmuta.project(7, "Clients", true);
        for (long source = 1; source <= SOURCES; source++) {
            FakeImmuta.dataSource(source, "Table " + source, "table_" + source, "PostgreSQL");
            FakeImmuta.viewSql(source, 7, "SELECT id, name FROM sales.customers");
        }
        int portA = Services.freePort();
        int portB = Services.freePort();
        HttpClient http = HttpClient.newHttpClient();
        try (ConfigurableApplicationContext a = Services.start(Services.againstFakeImmuta(portA, state, Map.of()));
             ConfigurableApplicationContext b = Services.start(Services.againstFakeImmuta(portB, state, Map.of()))) {
            IntStream.rangeClosed(1, SOURCES).parallel().forEach(source -> {
                int port = source % 2 == 0 ? portA : portB;
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Notifications.addedToProject(source, 7))).build();
                try {
                    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(state, "postgres", ""));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    TargetDatabase.POSTGRES.views().size() == SOURCES
                            && stateDb.queryForObject("SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM view_task)", Integer.class) == 0);
        }

        for (long source = 1; source <= SOURCES; source++) {
            assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/" + source))))
                    .as("data source %d fetched by one instance, once", source).isEqualTo(1);
            assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/" + source + "/viewSql"))))
                    .as("view %d written by one instance, once", source).isEqualTo(1);
        }
        assertThat(TargetDatabase.POSTGRES.views()).hasSize(SOURCES).allMatch(view -> view.startsWith("clients__table_"));
    }
}
