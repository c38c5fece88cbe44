package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.viewsync.support.Services;

/** What a newcomer gets from {@code ./mvnw spring-boot:run} with no configuration: the demo views, at once. */
class DefaultRunTest {

    @TempDir
    Path dataDir;

    @Test
    void withNoConfigurationTheDemoViewsAppear() throws Exception {
        int port = Services.freePort();
        // Only where to listen and where to keep files differ from a plain start.
        try (ConfigurableApplicationContext service = Services.start(
                List.of("--server.port=" + port, "--viewsync.data-dir=" + dataDir))) {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String views = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/views")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(views).contains("\"view\":\"regulated_clients__customers\"", "\"view\":\"regulated_clients__orders\"",
                        "\"view\":\"regulated_clients__support_tickets\"", "\"view\":\"marketing_analytics__customers\"")
                        .doesNotContain("clickstream", "data_science_sandbox");
            });
            JdbcTemplate demoTarget = new JdbcTemplate(
                    service.getBean(CamelContext.class).getRegistry().lookupByNameAndType("target-demo", DataSource.class));
            List<Map<String, Object>> customers = demoTarget.queryForList("SELECT * FROM \"immuta_views\".\"regulated_clients__customers\" ORDER BY id");
            assertThat(customers).extracting(row -> row.get("EMAIL")).containsOnly("REDACTED");
            assertThat(customers).extracting(row -> row.get("COUNTRY")).doesNotContain("CN");
        }
    }
}
