package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Services;

/** The global webhook is registered once, however often the service starts. */
class RegistrationTest {

    static final String HOOK_URL = "https://viewsync.example.com/immuta/webhook";
    static final String ALL_TYPES = "[\"dataSourceUpdated\", \"policyUpdated\", \"addedToProject\", \"removedFromProject\","
            + " \"projectEqualizationToggled\", \"projectDisabled\", \"modelDeleted\", \"deletedDatasourceRemovedFromProject\","
            + " \"expiredDatasourceRemovedFromProject\"]";
    static final String GUIDE_TYPES = "[\"dataSourceUpdated\", \"policyUpdated\", \"addedToProject\", \"removedFromProject\"]";

    @BeforeEach
    void immutaRemembersRegisteredHooks() {
        FakeImmuta.reset();
        String registered = "[{\"id\": 1, \"name\": \"internal-automatic-subscription-webhook\","
                + " \"url\": \"/internal-webhook/automatic-subscription\", \"global\": true},"
                + " {\"id\": 2, \"name\": \"immuta-view-sync\", \"url\": \"" + HOOK_URL + "\", \"global\": true,"
                + " \"notificationType\": " + ALL_TYPES + "}]";
        FakeImmuta.server().stubFor(get("/webhooks").inScenario("hooks").whenScenarioStateIs(Scenario.STARTED)
                .withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN))
                .willReturn(okJson("[{\"id\": 1, \"name\": \"internal-automatic-subscription-webhook\","
                        + " \"url\": \"/internal-webhook/automatic-subscription\", \"global\": true}]")));
        FakeImmuta.server().stubFor(post("/webhooks").inScenario("hooks")
                .withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN))
                .willSetStateTo("registered").willReturn(okJson("[{\"id\": 2}]")));
        FakeImmuta.server().stubFor(get("/webhooks").inScenario("hooks").whenScenarioStateIs("registered")
                .withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN))
                .willReturn(okJson(registered)));
    }

    @Test
    void registersTheGlobalHookOnceAcrossRestarts() {
        startAndStop(Map.of());
        startAndStop(Map.of());

        assertThat(FakeImmuta.count(getRequestedFor(urlEqualTo("/webhooks")))).isEqualTo(2);
        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks")))).isEqualTo(1);
        FakeImmuta.server().verify(postRequestedFor(urlEqualTo("/webhooks")).withRequestBody(equalToJson("""
                {"webhooks": [{"name": "immuta-view-sync", "url": "%s", "global": true, "notificationType": %s}]}
                """.formatted(HOOK_URL, ALL_TYPES))));
    }

    @Test
    void replacesAHookThatLacksNotificationTypes() {
        FakeImmuta.server().stubFor(get("/webhooks").atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN))
                .willReturn(okJson("[{\"id\": 5, \"name\": \"immuta-view-sync\", \"url\": \"" + HOOK_URL + "\","
                        + " \"global\": true, \"notificationType\": " + GUIDE_TYPES + "}]")));
        FakeImmuta.server().stubFor(delete("/webhooks/5").withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN))
                .willReturn(noContent()));

        startAndStop(Map.of());

        FakeImmuta.server().verify(1, deleteRequestedFor(urlEqualTo("/webhooks/5")));
        FakeImmuta.server().verify(1, postRequestedFor(urlEqualTo("/webhooks"))
                .withRequestBody(matchingJsonPath("$.webhooks[0].notificationType[8]", equalTo("expiredDatasourceRemovedFromProject"))));
    }

    @Test
    void sendsTheSecretWithTheRegistration() {
        startAndStop(Map.of("viewsync.webhook.secret", "s3cret"));

        FakeImmuta.server().verify(postRequestedFor(urlEqualTo("/webhooks"))
                .withRequestBody(matchingJsonPath("$.webhooks[0].secret", equalTo("s3cret"))));
    }

    /** Starts the service until it has looked at Immuta's webhooks, then stops it, as a restart would. */
    private void startAndStop(Map<String, Object> extra) {
        int listed = FakeImmuta.count(getRequestedFor(urlEqualTo("/webhooks")));
        int registered = FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks")));
        Map<String, Object> properties = new java.util.HashMap<>(Map.of("server.port", 0, "immuta.url", FakeImmuta.url(),
                "immuta.api-key", FakeImmuta.API_KEY, "viewsync.webhook.url", HOOK_URL,
                "spring.datasource.url", "jdbc:h2:mem:registration-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "viewsync.admin.password", Services.ADMIN_PASSWORD, "spring.jmx.unique-names", true));
        properties.putAll(extra);
        try (ConfigurableApplicationContext service = Services.start(Services.arguments(properties))) {
            Awaitility.await("webhook check").atMost(Duration.ofSeconds(30)).until(() ->
                    FakeImmuta.count(getRequestedFor(urlEqualTo("/webhooks"))) > listed
                            && (FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks"))) > registered
                            || service.getBean(org.apache.camel.CamelContext.class).getInflightRepository().size() == 0));
        }
    }
}
