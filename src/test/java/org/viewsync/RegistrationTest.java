package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.Metadata;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.ImmutaContract;
import org.viewsync.support.Services;

/**
 * The global webhook is registered once, however often the service starts, in the shape Immuta's API takes
 * ({@code actionType} included); a registration Immuta refuses is said at ERROR with Immuta's own answer, shown in
 * readiness and tried again.
 */
@ExtendWith(OutputCaptureExtension.class)
class RegistrationTest {

    static final String HOOK_URL = "https://viewsync.example.com/immuta/webhook";
    static final String ALL_TYPES = "dataSourceUpdated,policyUpdated,addedToProject,removedFromProject,projectUpdated,"
            + "projectEqualizationToggled,projectDisabled,modelDeleted,dataSourceExpired,deletedDatasourceRemovedFromProject,"
            + "expiredDatasourceRemovedFromProject";
    static final String INTERNAL_HOOK = "{\"id\": 1, \"name\": \"internal-automatic-subscription-webhook\","
            + " \"url\": \"/internal-webhook/automatic-subscription\", \"global\": true, \"notificationType\": \"policyUpdated\"}";

    @BeforeEach
    void immutaHasOnlyItsInternalHook() {
        FakeImmuta.reset();
        FakeImmuta.server().stubFor(authorized(get("/webhooks")).inScenario("hooks").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[" + INTERNAL_HOOK + "]")));
        FakeImmuta.server().stubFor(authorized(post("/webhooks")).inScenario("hooks").willSetStateTo("registered")
                .willReturn(okJson("{\"createdWebhooks\": [{\"id\": 2, \"name\": \"immuta-view-sync\", \"url\": \"" + HOOK_URL + "\","
                        + " \"global\": true, \"actionType\": \"triggered\"}], \"errors\": []}")));
        FakeImmuta.server().stubFor(authorized(get("/webhooks")).inScenario("hooks").whenScenarioStateIs("registered")
                .willReturn(okJson("[" + INTERNAL_HOOK + ", {\"id\": 2, \"name\": \"immuta-view-sync\", \"url\": \"" + HOOK_URL + "\","
                        + " \"global\": true, \"actionType\": \"triggered\", \"notificationType\": \"" + ALL_TYPES + "\"}]")));
    }

    @AfterEach
    void immutaContractKept() {
        FakeImmuta.assertContractKept();
    }

    @Test
    void registersTheGlobalHookOnceAcrossRestartsAsImmutasApiTakesIt() {
        startAndStop(Map.of());
        startAndStop(Map.of());

        assertThat(FakeImmuta.count(getRequestedFor(urlEqualTo("/webhooks")))).isEqualTo(2);
        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks")))).isEqualTo(1);
        FakeImmuta.server().verify(postRequestedFor(urlEqualTo("/webhooks")).withRequestBody(equalToJson("""
                {"webhooks": [{"name": "immuta-view-sync", "url": "%s", "global": true, "actionType": "triggered",
                  "notificationType": [%s]}]}
                """.formatted(HOOK_URL, "\"" + ALL_TYPES.replace(",", "\", \"") + "\""))));
    }

    @Test
    void readsTheGuidesListOfNotificationTypesToo() {
        FakeImmuta.server().stubFor(authorized(get("/webhooks")).atPriority(1)
                .withMetadata(Metadata.metadata().attr(ImmutaContract.GUIDE_EXAMPLE, "the guide lists a hook's notificationType as an array"))
                .willReturn(okJson("[{\"id\": 5, \"name\": \"immuta-view-sync\", \"url\": \"" + HOOK_URL + "\", \"global\": true,"
                        + " \"notificationType\": [\"" + ALL_TYPES.replace(",", "\", \"") + "\"]}]")));

        startAndStop(Map.of());

        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks")))).isZero();
    }

    @Test
    void replacesAHookThatLacksNotificationTypes() {
        FakeImmuta.server().stubFor(authorized(get("/webhooks")).atPriority(1).inScenario("hooks").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[{\"id\": 5, \"name\": \"immuta-view-sync\", \"url\": \"" + HOOK_URL + "\", \"global\": true,"
                        + " \"notificationType\": \"dataSourceUpdated,policyUpdated,addedToProject,removedFromProject\"}]")));
        FakeImmuta.server().stubFor(authorized(delete("/webhooks/5"))
                .willReturn(okJson("{\"id\": 5, \"name\": \"immuta-view-sync\", \"url\": \"" + HOOK_URL + "\", \"global\": true}")));

        startAndStop(Map.of());

        FakeImmuta.server().verify(1, deleteRequestedFor(urlEqualTo("/webhooks/5")));
        FakeImmuta.server().verify(1, postRequestedFor(urlEqualTo("/webhooks"))
                .withRequestBody(matchingJsonPath("$.webhooks[0].notificationType[10]", equalTo("expiredDatasourceRemovedFromProject"))));
    }

    @Test
    void sendsTheSecretAndTheConfiguredActionType() {
        startAndStop(Map.of("viewsync.webhook.secret", "s3cret", "viewsync.webhook.action-type", "received"));

        FakeImmuta.server().verify(postRequestedFor(urlEqualTo("/webhooks"))
                .withRequestBody(matchingJsonPath("$.webhooks[0].secret", equalTo("s3cret")))
                .withRequestBody(matchingJsonPath("$.webhooks[0].actionType", equalTo("received"))));
    }

    @Test
    void aRefusedRegistrationIsLoggedWithImmutasAnswerShownInReadinessAndTriedAgain(CapturedOutput output) {
        FakeImmuta.server().stubFor(authorized(post("/webhooks")).atPriority(1).inScenario("refusal").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(FakeImmuta.error(400, "Bad Request", "\"url\" must be a valid uri")));
        FakeImmuta.server().stubFor(authorized(post("/webhooks")).atPriority(1).inScenario("refusal").whenScenarioStateIs("fixed")
                .willReturn(okJson("{\"createdWebhooks\": [{\"id\": 2, \"name\": \"immuta-view-sync\"}], \"errors\": []}")));

        run(Map.of("viewsync.webhook.retry-interval", 1000), service -> {
            Awaitility.await("readiness shows the refusal").atMost(Duration.ofSeconds(20)).until(() -> registration(service).equals("DEGRADED"));
            assertThat(readiness(service)).contains("Immuta answered HTTP 400 to POST /webhooks", "must be a valid uri");
            assertThat(output).contains("ERROR").contains("is not registered with Immuta, so no notification arrives: Immuta answered"
                    + " HTTP 400 to POST /webhooks: {").contains("\"message\":\"\\\"url\\\" must be a valid uri\"");
            int refused = FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks")));

            FakeImmuta.server().setScenarioState("refusal", "fixed");

            Awaitility.await("registered on a later try").atMost(Duration.ofSeconds(20)).until(() -> registration(service).equals("UP"));
            assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks")))).isEqualTo(refused + 1);
        });
    }

    @Test
    void anAnswerThatListsErrorsIsARefusal(CapturedOutput output) {
        FakeImmuta.server().stubFor(authorized(post("/webhooks")).atPriority(1)
                .willReturn(okJson("{\"createdWebhooks\": [], \"errors\": [\"A webhook with this url already exists for another user\"]}")));

        run(Map.of(), service -> Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> registration(service).equals("DEGRADED")));

        assertThat(output).contains("Immuta refused the webhook: A webhook with this url already exists for another user");
    }

    @Test
    void refusesToStartWithAWebhookUrlImmutaCannotReach() {
        assertThatThrownBy(() -> startAndStop(Map.of("viewsync.webhook.url", "http://localhost:8080/immuta/webhook")))
                .hasStackTraceContaining("VIEWSYNC_WEBHOOK_URL (viewsync.webhook.url) 'http://localhost:8080/immuta/webhook' points at this machine");
        assertThatThrownBy(() -> startAndStop(Map.of("viewsync.webhook.url", "http://127.0.0.1/immuta/webhook")))
                .hasStackTraceContaining("points at this machine");
        assertThatThrownBy(() -> startAndStop(Map.of("viewsync.webhook.url", "")))
                .hasStackTraceContaining("VIEWSYNC_WEBHOOK_URL (viewsync.webhook.url) is not set");

        startAndStop(Map.of("viewsync.webhook.url", "http://localhost:8080/immuta/webhook", "viewsync.webhook.allow-loopback", true));
    }

    /** Starts the service until it has looked at Immuta's webhooks, then stops it, as a restart would. */
    private void startAndStop(Map<String, Object> extra) {
        int listed = FakeImmuta.count(getRequestedFor(urlEqualTo("/webhooks")));
        run(extra, service -> Awaitility.await("webhook check").atMost(Duration.ofSeconds(30)).until(() ->
                FakeImmuta.count(getRequestedFor(urlEqualTo("/webhooks"))) > listed
                        && service.getBean(org.apache.camel.CamelContext.class).getInflightRepository().size("register-webhook") == 0));
    }

    private void run(Map<String, Object> extra, Consumer<ConfigurableApplicationContext> whileRunning) {
        Map<String, Object> properties = new HashMap<>(Map.of("server.port", Services.freePort(), "immuta.url", FakeImmuta.url(),
                "immuta.api-key", FakeImmuta.API_KEY, "viewsync.webhook.url", HOOK_URL,
                "spring.datasource.url", "jdbc:h2:mem:registration-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "viewsync.admin.password", Services.ADMIN_PASSWORD, "spring.jmx.unique-names", true,
                "viewsync.reconciliation.enabled", false, "viewsync.preflight.at-start", false));
        properties.putAll(extra);
        try (ConfigurableApplicationContext service = Services.start(Services.arguments(properties))) {
            whileRunning.accept(service);
        }
    }

    private static String readiness(ConfigurableApplicationContext service) {
        String port = service.getEnvironment().getProperty("local.server.port");
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status of readiness' registration component. */
    private static String registration(ConfigurableApplicationContext service) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(readiness(service)).path("components").path("registration")
                    .path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MappingBuilder authorized(MappingBuilder request) {
        return request.withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN));
    }
}
