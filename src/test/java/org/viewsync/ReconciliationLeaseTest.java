package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * A reconciliation run that outlasts its lease (viewsync.queue.claim-timeout, 2 s here) keeps it: no second run starts
 * meanwhile. The run lasts because Immuta takes 1.5 s for each view's SQL and twelve views go two at a time
 * (immuta.max-concurrent-calls, and as many view workers: more would wait past the short claim timeout and be claimed
 * again). The second run is asked for once the lease as the first run took it has expired
 * (read from the lease row), so only a renewal can keep it out. The instance runs beside the shared test context, on a state database of its own, and is
 * closed at the end.
 */
class ReconciliationLeaseTest {

    static final int VIEWS = 12;
    static final int PAGE_SIZE = 5;

    @Test
    void aLongRunRenewsItsLeaseSoThatNoSecondRunStarts() throws Exception {
        String state = Services.freshPostgresState("viewsync_lease_state");
        FakeImmuta.equalizedProjects(PAGE_SIZE, Map.of(1L, "Finance"));
        FakeImmuta.project(1, "Finance", true);
        List<Map<String, Object>> dataSources = new ArrayList<>();
        for (long id = 1; id <= VIEWS; id++) {
            dataSources.add(FakeImmuta.projectDataSource(id, "Table " + id, "PostgreSQL"));
            FakeImmuta.dataSource(id, "Table " + id, "table_" + id, "PostgreSQL");
        }
        FakeImmuta.projectDataSources(1, PAGE_SIZE, dataSources);
        FakeImmuta.server().stubFor(get(urlPathMatching("/dataSource/\\d+/viewSql"))
                .willReturn(okJson("{\"sql\": \"SELECT id, name FROM sales.customers\"}").withFixedDelay(1500)));
        int port = Services.freePort();
        HttpClient http = HttpClient.newHttpClient();

        try (ConfigurableApplicationContext instance = Services.start(Services.againstFakeImmuta(port, state,
                Map.of("viewsync.queue.claim-timeout", "2s", "immuta.page-size", String.valueOf(PAGE_SIZE),
                        "immuta.max-concurrent-calls", "2", "viewsync.processing.view-concurrency", "2")))) {
            JdbcTemplate stateDb = new JdbcTemplate(new DriverManagerDataSource(state, "postgres", ""));
            CompletableFuture<HttpResponse<String>> firstRun = http.sendAsync(reconcile(port), HttpResponse.BodyHandlers.ofString());
            // The lease as the first run took it: it ends one claim timeout after it was taken.
            Instant firstExpiry = Awaitility.await("the first run takes the lease").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10)).until(() -> leaseUntil(stateDb), until -> until != null);
            // Past that expiry, an unrenewed lease would let a second run take it over.
            Awaitility.await("the lease as first taken has expired").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> Instant.now().isAfter(firstExpiry));
            assertThat(firstRun).as("the first run is still under way").isNotDone();

            HttpResponse<String> secondRun = http.send(reconcile(port), HttpResponse.BodyHandlers.ofString());

            assertThat(secondRun.body()).as("status %s", secondRun.statusCode()).contains("another instance is reconciling");
            assertThat(leaseUntil(stateDb)).as("the lease, renewed while the run lasts").isAfter(firstExpiry);
            assertThat(firstRun.get(60, TimeUnit.SECONDS).body()).contains("\"created\":" + VIEWS);
            assertThat(TargetDatabase.POSTGRES.views()).hasSize(VIEWS);
        }
    }

    /** When the reconciliation lease ends, as its row says; null when nobody holds it. */
    private static Instant leaseUntil(JdbcTemplate stateDb) {
        java.sql.Timestamp until = stateDb.queryForObject("SELECT until FROM lease WHERE name = 'reconciliation'", java.sql.Timestamp.class);
        return until == null ? null : until.toInstant();
    }

    private static HttpRequest reconcile(int port) {
        return Services.asAdmin(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/reconcile")))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }
}
