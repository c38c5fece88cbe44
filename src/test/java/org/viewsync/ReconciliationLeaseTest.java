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
import org.springframework.test.context.TestPropertySource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Services;
import org.viewsync.support.ViewSyncIntegrationTest;

/**
 * A reconciliation run that outlasts its lease (viewsync.queue.claim-timeout, 2 s here) keeps it: no second run starts
 * meanwhile. The run lasts because Immuta takes 1.5 s for each view's SQL and twelve views go four at a time.
 */
@TestPropertySource(properties = "viewsync.queue.claim-timeout=2s")
class ReconciliationLeaseTest extends ViewSyncIntegrationTest {

    static final int VIEWS = 12;

    @Test
    void aLongRunRenewsItsLeaseSoThatNoSecondRunStarts() throws Exception {
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

        CompletableFuture<HttpResponse<String>> firstRun = HttpClient.newHttpClient().sendAsync(Services.asAdmin(
                HttpRequest.newBuilder(reconcileUri())).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        TimeUnit.SECONDS.sleep(3);

        HttpResponse<String> secondRun = send(HttpRequest.newBuilder(reconcileUri()).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(secondRun.body()).as("status %s", secondRun.statusCode()).contains("another instance is reconciling");
        assertThat(firstRun.get(60, TimeUnit.SECONDS).body()).contains("\"created\":" + VIEWS);
        assertThat(POSTGRES.views()).hasSize(VIEWS);
    }

    private URI reconcileUri() {
        return URI.create("http://localhost:" + port + "/admin/reconcile");
    }
}
