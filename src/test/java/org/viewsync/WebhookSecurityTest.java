package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.ViewSyncIntegrationTest;

/** Who gets in: signed deliveries only, admins only, and never faster than the rate limit. */
class WebhookSecurityTest extends ViewSyncIntegrationTest {

    @Test
    void acceptsADeliverySignedWithTheSecret() {
        FakeImmuta.everythingElseNotFound();
        String body = Notifications.dataSourcePolicyUpdated(4);

        assertThat(deliverSigned(body, signature(body)).statusCode()).isEqualTo(202);
        assertThat(deliverSigned(Notifications.dataSourcePolicyUpdated(5), signature(Notifications.dataSourcePolicyUpdated(5)).toUpperCase())
                .statusCode()).as("hex in either case").isEqualTo(202);
        awaitQuiet();
    }

    @Test
    void refusesMissingInvalidAndReplayedSignaturesAndStoresNothing() {
        String body = Notifications.dataSourcePolicyUpdated(4);
        byte[] tampered = body.getBytes(StandardCharsets.UTF_8);
        tampered[tampered.length - 2] ^= 1;

        HttpResponse<String> missing = send(HttpRequest.newBuilder(webhookUri()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        HttpResponse<String> invalid = deliverSigned(body, "00" + signature(body).substring(2));
        HttpResponse<String> notHex = deliverSigned(body, "not-a-signature");
        HttpResponse<String> otherSecret = deliverSigned(body, signature(Notifications.dataSourcePolicyUpdated(5)));
        // A captured delivery replayed with one byte changed: the old signature no longer fits.
        HttpResponse<String> replayed = send(HttpRequest.newBuilder(webhookUri()).header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, signature(body)).POST(HttpRequest.BodyPublishers.ofByteArray(tampered)));

        for (HttpResponse<String> response : List.of(missing, invalid, notHex, otherSecret, replayed)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"error\":\"missing or invalid webhook signature\"}");
        }
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("nothing stored").isZero();
    }

    @Test
    void adminEndpointsAndTheActuatorNeedTheAdminsCredentials() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String path : List.of("/views", "/admin/failed", "/admin/refused", "/admin/reconcile", "/actuator/metrics", "/actuator/env")) {
            HttpResponse<String> response = anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/admin/failed/replay", "/admin/reconcile")) {
            HttpResponse<String> response = anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST " + path).isEqualTo(401);
        }
        HttpResponse<String> wrongPassword = anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/views"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);

        assertThat(anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("probes stay open").isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/views")).GET()).statusCode()).isEqualTo(200);
    }

    /** Webhook deliveries skip Spring Security's filters; only the exact request line does. */
    @Test
    void pathsThatOnlyResembleTheWebhookStillNeedTheAdminsCredentials() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String path : List.of("/immuta/webhook/../admin/failed", "/immuta/webhook/%2e%2e/admin/failed", "/immuta/./webhook/../../views")) {
            HttpResponse<String> response = anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isIn(400, 401);
            assertThat(response.body()).as(path).doesNotContain("\"id\"").doesNotContain("failed\":");
        }
        HttpResponse<String> postToAdmin = anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook/../admin/reconcile"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(postToAdmin.statusCode()).isIn(400, 401);
    }

    /** Older Immuta versions sign with HMAC-SHA1 in x-immuta-webhook-signature: viewsync.intake.signature-algorithm=sha1. */
    @Test
    void acceptsOlderImmutasSha1SignatureWhenConfiguredForIt() throws Exception {
        int servicePort = Services.freePort();
        String body = Notifications.projectCreated(3);
        try (ConfigurableApplicationContext service = Services.start(Services.againstFakeImmuta(servicePort, "jdbc:h2:mem:sha1",
                Map.of("viewsync.webhook.secret", "s3cret", "viewsync.intake.signature-algorithm", "sha1")))) {
            javax.crypto.Mac sha1 = javax.crypto.Mac.getInstance("HmacSHA1");
            sha1.init(new javax.crypto.spec.SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String sha1Signature = java.util.HexFormat.of().formatHex(sha1.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            HttpClient http = HttpClient.newHttpClient();
            URI webhook = URI.create("http://localhost:" + servicePort + "/immuta/webhook");

            HttpResponse<String> signedSha1 = http.send(HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
                    .header("x-immuta-webhook-signature", sha1Signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> signedSha256 = http.send(HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
                    .header(SIGNATURE_HEADER, org.viewsync.simulator.WebhookSender.sign("s3cret", body.getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(signedSha1.statusCode()).isEqualTo(202);
            assertThat(signedSha256.statusCode()).as("the SHA-256 scheme where SHA-1 is configured").isEqualTo(401);
        }
    }

    @Test
    void refusesToStartOutsideTheDemoWithoutAnAdminPassword() {
        List<String> arguments = Services.againstFakeImmuta(Services.freePort(), "jdbc:h2:mem:no-admin", Map.of("viewsync.admin.password", ""));

        assertThatThrownBy(() -> Services.start(arguments).close()).hasStackTraceContaining("viewsync.admin.password");
    }

    @Test
    void answers429BeyondTheRateLimitAndNever5xx() {
        int servicePort = Services.freePort();
        try (ConfigurableApplicationContext service = Services.start(
                Services.againstFakeImmuta(servicePort, "jdbc:h2:mem:rate-limited", Map.of("viewsync.intake.rate-limit", "5")))) {
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 1; i <= 40; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + servicePort + "/immuta/webhook"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Notifications.projectCreated(i)))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = answers.stream().map(answer -> answer.join().statusCode()).toList();
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000L;

            assertThat(statuses).containsOnly(202, 429);
            // The intake's throttle (Camel's TotalRequests mode) starts with 5 permits and gives each back one period
            // (1 s) after it was used: in any stretch of t ms it lets at most 5 x (floor(t / 1000) + 1) through, and
            // the first 5 of 40 always. Every pass through it lies between the first send and the last answer. The
            // "+ 1" is the unavoidable boundary: a stretch of t ms can see the permits of floor(t / 1000) + 1 periods.
            assertThat(statuses.stream().filter(status -> status == 202).count()).as("accepted in %d ms", elapsedMillis)
                    .isBetween(5L, 5 * (elapsedMillis / 1000 + 1));
        }
    }

    private HttpResponse<String> deliverSigned(String body, String signature) {
        return send(HttpRequest.newBuilder(webhookUri()).header("Content-Type", "application/json").header(SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
