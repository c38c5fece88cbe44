package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.wiremock.webhooks.Webhooks.webhook;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.simulator.WebhookSender;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * Immuta does not retry a delivery that failed, for instance while the service was stopped. At start (and at every
 * check of the hook) the service reads Immuta's webhook history and asks Immuta to make again the deliveries to its
 * hook that failed since the last one it handled: once each, whatever the number of restarts.
 */
class DeliveryRecoveryTest {

    static final String SECRET = "recovery-secret";
    static final String ADDED = Notifications.addedToProject(1, 7);

    int port;
    String hookUrl;
    String stateUrl;

    @BeforeEach
    void immutaFailedToDeliverWhileTheServiceWasStopped() {
        stateUrl = Services.freshPostgresState("viewsync_recovery");
        port = Services.freePort();
        hookUrl = "http://localhost:" + port + "/immuta/webhook";
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        FakeImmuta.server().stubFor(authorized(get("/webhooks")).atPriority(1).willReturn(okJson(
                "[{\"id\": 4, \"name\": \"immuta-view-sync\", \"url\": \"" + hookUrl + "\", \"global\": true, \"actionType\": \"triggered\","
                        + " \"notificationType\": \"" + RegistrationTest.ALL_TYPES + "\"}]")));
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        String twoDaysAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(2).toString();
        FakeImmuta.server().stubFor(authorized(get(urlPathEqualTo("/webhooks/history"))).atPriority(1)
                .withQueryParam("successOrFailure", equalTo("failure")).withQueryParam("includeGlobal", equalTo("true"))
                .willReturn(okJson("{\"count\": 4, \"records\": ["
                        + record(13, 4, "addedToProject", null, now)
                        + ", " + record(12, 9, "policyUpdated", 500, now)
                        + ", " + record(11, 4, "policyUpdated", 503, now)
                        + ", " + record(10, 4, "policyUpdated", null, twoDaysAgo) + "]}")));
        // Immuta makes the delivery again: the notification reaches the service, signed as Immuta signs it.
        FakeImmuta.server().stubFor(authorized(post("/webhooks/history/retry/13"))
                .willReturn(okJson(retried(14, "addedToProject", now)))
                .withServeEventListener("webhook", webhook().withMethod(RequestMethod.POST).withUrl(hookUrl)
                        .withHeader("Content-Type", "application/json")
                        .withHeader(WebhookSender.SIGNATURE_HEADER, WebhookSender.sign(SECRET, ADDED.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .withBody(ADDED)));
        FakeImmuta.server().stubFor(authorized(post(urlPathMatching("/webhooks/history/retry/1[0-2]")))
                .willReturn(okJson(retried(15, "policyUpdated", now))));
    }

    @AfterEach
    void immutaContractKept() {
        FakeImmuta.assertContractKept();
    }

    @Test
    void asksImmutaToMakeAgainOnlyTheRecentDeliveriesToItsHookThatFailedAndOnlyOnce() {
        try (ConfigurableApplicationContext service = start()) {
            Awaitility.await("the missed notification's view").atMost(Duration.ofSeconds(30))
                    .until(() -> TargetDatabase.POSTGRES.views().contains("clients__customers"));
        }
        try (ConfigurableApplicationContext again = start()) {
            Awaitility.await("the second start's check").atMost(Duration.ofSeconds(30))
                    .until(() -> FakeImmuta.count(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/webhooks/history"))) >= 2
                            && again.getBean(org.apache.camel.CamelContext.class).getInflightRepository().size("register-webhook") == 0);
        }

        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks/history/retry/13")))).isEqualTo(1);
        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks/history/retry/11")))).isEqualTo(1);
        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks/history/retry/12")))).as("another hook's").isZero();
        assertThat(FakeImmuta.count(postRequestedFor(urlEqualTo("/webhooks/history/retry/10")))).as("beyond the look-back").isZero();
    }

    private ConfigurableApplicationContext start() {
        return Services.start(Services.againstFakeImmuta(port, stateUrl, Map.of("viewsync.webhook.secret", SECRET)));
    }

    private static String record(long id, long hookId, String type, Integer status, String createdAt) {
        return "{\"id\": " + id + ", \"webhooksId\": " + hookId + ", \"notificationType\": \"" + type + "\","
                + (status == null ? "" : " \"statusCode\": " + status + ",") + " \"createdAt\": \"" + createdAt + "\","
                + " \"actionType\": \"triggered\"}";
    }

    /** Immuta's answer to a retry: the new delivery's record. */
    private static String retried(long id, String type, String createdAt) {
        return "{\"id\": " + id + ", \"notificationType\": \"" + type + "\", \"statusCode\": 202, \"createdAt\": \"" + createdAt + "\"}";
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder authorized(com.github.tomakehurst.wiremock.client.MappingBuilder request) {
        return request.withHeader("Authorization", equalTo("Bearer " + FakeImmuta.FIRST_TOKEN));
    }
}
