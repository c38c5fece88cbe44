package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.ImmutaContract;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * The service against its own Immuta simulator over real HTTP: real registration, real webhook deliveries, real
 * PostgreSQL and MariaDB targets, a PostgreSQL state database. Each of the guide's workflows is driven through the
 * simulator's control API. The service reaches the simulator through a relay that checks every request it sends and
 * every answer the simulator gives against Immuta's API description ({@link ImmutaContract}).
 */
class SimulatorEndToEndTest {

    static final TargetDatabase POSTGRES = TargetDatabase.POSTGRES;
    static final TargetDatabase MARIADB = TargetDatabase.MARIADB;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    ConfigurableApplicationContext service;
    String simulator;
    ImmutaContract contract = new ImmutaContract();
    WireMockServer relay;

    @BeforeEach
    void startTheServiceAgainstTheSimulator() {
        POSTGRES.reset();
        MARIADB.reset();
        // The state database is PostgreSQL here, as in production; the workflow suites use H2.
        POSTGRES.execute("DROP SCHEMA IF EXISTS viewsync_state CASCADE; CREATE SCHEMA viewsync_state");
        int port = Services.freePort();
        relay = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(contract));
        relay.start();
        relay.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom("http://localhost:" + port + "/immuta-simulator")));
        List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=" + port,
                "--viewsync.simulator.enabled=true", "--immuta.url=" + relay.baseUrl(),
                "--spring.datasource.url=" + POSTGRES.url + "?currentSchema=viewsync_state", "--spring.datasource.username=postgres",
                "--viewsync.simulator.catalog=classpath:simulator/e2e-catalog.yaml",
                "--viewsync.simulator.allow-real-targets=true"));
        for (TargetDatabase target : TargetDatabase.values()) {
            String prefix = "--viewsync.targets." + target.target + ".";
            arguments.addAll(List.of(prefix + "url=" + target.url, prefix + "username=" + target.user,
                    prefix + "handler-types=" + target.handlerType, prefix + "schema=" + target.schema));
        }
        service = Services.start(arguments);
        simulator = "http://localhost:" + port + "/immuta-simulator";
        eventually(() -> assertThat(POSTGRES.views()).containsExactly("finance__customers"));
    }

    @AfterEach
    void stop() {
        service.close();
        relay.stop();
        contract.assertKept();
    }

    @Test
    void theStartRegistersTheHookAndMaterializesEveryEqualizedProject() {
        assertThat(POSTGRES.rows("finance__customers")).extracting(row -> row.get("email")).containsOnly("REDACTED");
        eventually(() -> assertThat(MARIADB.views()).containsExactly("finance__customers_eu"));
        assertThat(MARIADB.rows("finance__customers_eu")).extracting(row -> row.get("name")).containsExactly("Ada");
        assertThat(call("GET", "/webhooks", null)).contains("\"name\":\"immuta-view-sync\"").contains("\"global\":true");
    }

    @Test
    void addedToProject() {
        control("POST", "/control/projects/3/dataSources/1", null);

        eventually(() -> assertThat(POSTGRES.views()).containsExactly("finance__customers", "risk__customers"));
    }

    @Test
    void removedFromProject() {
        control("DELETE", "/control/projects/1/dataSources/1", null);

        eventually(() -> assertThat(POSTGRES.views()).isEmpty());
    }

    @Test
    void dataSourcePolicyUpdated() {
        control("PUT", "/control/dataSources/1/policy", "{\"masked\": [\"email\", \"name\"]}");

        eventually(() -> assertThat(POSTGRES.rows("finance__customers")).extracting(row -> row.get("name")).containsOnly("REDACTED"));
    }

    @Test
    void projectPolicyUpdated() {
        eventually(() -> assertThat(MARIADB.views()).containsExactly("finance__customers_eu"));

        control("PUT", "/control/projects/1/policy", "{\"rowFilter\": \"region = 'US'\"}");

        eventually(() -> assertThat(POSTGRES.rows("finance__customers")).extracting(row -> row.get("name")).containsExactly("Bob"));
        eventually(() -> assertThat(MARIADB.rows("finance__customers_eu")).isEmpty());
    }

    @Test
    void projectRenamed() {
        control("PUT", "/control/projects/1/name", "Corporate Finance");

        eventually(() -> assertThat(POSTGRES.views()).containsExactly("corporate_finance__customers"));
    }

    @Test
    void dataSourceDisabledThenEnabled() {
        control("POST", "/control/dataSources/1/disable", null);
        eventually(() -> assertThat(POSTGRES.views()).isEmpty());

        control("POST", "/control/dataSources/1/enable", null);
        eventually(() -> assertThat(POSTGRES.views()).containsExactly("finance__customers"));
    }

    @Test
    void globalPolicyNotifiesOncePerAffectedSource() {
        eventually(() -> assertThat(MARIADB.views()).containsExactly("finance__customers_eu"));

        String answer = control("PUT", "/control/globalPolicies/hide-region", "{\"masked\": [\"region\"]}");

        assertThat(answer).contains("\"notifications\":2");
        eventually(() -> assertThat(POSTGRES.rows("finance__customers")).extracting(row -> row.get("region")).containsOnly("REDACTED"));
        eventually(() -> assertThat(MARIADB.rows("finance__customers_eu")).extracting(row -> row.get("region")).containsOnly("REDACTED"));
    }

    /** A control call; it returns once Immuta's deliveries were answered, and each must have been accepted. */
    private String control(String method, String path, String body) {
        String answer = call(method, path, body);
        assertThat(answer).contains("\"status\":202").doesNotContain("\"error\"");
        return answer;
    }

    private String call(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator + path)).timeout(Duration.ofSeconds(20))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            if (!path.startsWith("/control")) {
                request.header("Authorization", "Bearer " + token());
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String token() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(simulator + "/bim/apikey/authenticate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"apikey\": \"demo-api-key\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return response.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    private static void eventually(ThrowingRunnable assertion) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion);
    }
}
