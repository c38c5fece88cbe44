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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * A reconciliation run that outlasts its lease (viewsync.queue.claim-timeout, 2 s here) keeps it: no second run starts
 * meanwhile. The run lasts because Immuta takes 1.5 s for each view's SQL and twelve views go two at a time (immuta.max-concurrent-calls). The
 * instance runs beside the shared test context, on a state database of its own, and is closed at the end.
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
                        "immuta.max-concurrent-calls", "2")))) {
            CompletableFuture<HttpResponse<String>> firstRun = http.sendAsync(reconcile(port), HttpResponse.BodyHandlers.ofString());
            TimeUnit.SECONDS.sleep(3);

            HttpResponse<String> secondRun = http.send(reconcile(port), HttpResponse.BodyHandlers.ofString());

            assertThat(secondRun.body()).as("status %s", secondRun.statusCode()).contains("another instance is reconciling");
            assertThat(firstRun.get(60, TimeUnit.SECONDS).body()).contains("\"created\":" + VIEWS);
            assertThat(TargetDatabase.POSTGRES.views()).hasSize(VIEWS);
        }
    }

    private static HttpRequest reconcile(int port) {
        return Services.asAdmin(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/reconcile")))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }
}
