package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

class IntakeTest extends ViewSyncIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1, 2]", "\"dataSourceUpdated\"", "{}", "{\"notificationType\": 5}",
            "{\"notificationType\": null}"})
    void answers400ToABodyThatIsNotANotificationAndQueuesNothing(String body) {
        HttpResponse<String> response = post(body, "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("notificationType");
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("nothing stored").isZero();
    }

    @Test
    void acknowledgesAndIgnoresNotificationTypesTheHookIsNotSubscribedTo() {
        HttpResponse<String> response = post(Notifications.projectCreated(3), "application/json");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"status\":\"ignored\"}");
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("nothing stored").isZero();
        assertThat(FakeImmuta.count(anyRequestedFor(anyUrl()))).isZero();
    }

    @Test
    void acceptsOnlyPost() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(webhookUri()).GET());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void answersAcceptedWithJson() {
        FakeImmuta.everythingElseNotFound();
        HttpResponse<String> response = post(Notifications.dataSourcePolicyUpdated(3), "application/json");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).matches("\\{\"status\":\"accepted\",\"id\":\"[0-9a-fA-F-]{36}\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        awaitQuiet();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonp"})
    void answers415ToABodyThatIsNotJson(String contentType) {
        HttpResponse<String> response = post(Notifications.dataSourcePolicyUpdated(3), contentType);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("nothing stored").isZero();
    }

    @Test
    void acceptsJsonWithACharset() {
        FakeImmuta.everythingElseNotFound();
        assertThat(post(Notifications.dataSourcePolicyUpdated(3), "application/json; charset=utf-8").statusCode()).isEqualTo(202);
        awaitQuiet();
    }

    @Test
    void answers413ToABodyOverTheLimitWhetherItsLengthIsDeclaredOrNot() {
        String huge = "{\"notificationType\":\"policyUpdated\",\"padding\":\"" + "x".repeat(300 * 1024) + "\"}";

        HttpResponse<String> declared = post(huge, "application/json");
        // Chunked: no Content-Length, the intake must stop reading at the limit.
        HttpResponse<String> streamed = send(HttpRequest.newBuilder(webhookUri()).header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, signature(huge))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))));

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("larger than 262144 bytes");
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("nothing stored").isZero();
    }

    /**
     * Immuta never sends a notification again: one whose fields its workflow cannot read is stored all the same (the
     * dispatch reconciles the model it names instead, see IncompleteNotificationTest), never refused.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"notificationType\":\"policyUpdated\",\"modelType\":\"datasource\",\"modelId\":\"7\"}",
            "{\"notificationType\":\"policyUpdated\",\"modelType\":\"datasource\",\"modelId\":99999999999999999999999}",
            "{\"notificationType\":\"policyUpdated\",\"modelType\":\"datasource\",\"modelId\":1.5}",
            "{\"notificationType\":\"policyUpdated\",\"modelType\":\"datasource\",\"modelId\":-3}",
            "{\"notificationType\":\"policyUpdated\",\"modelType\":7,\"modelId\":3}",
            "{\"notificationType\":\"policyUpdated\",\"modelType\":\"datasource\\r\\nINFO forged line\",\"modelId\":3}",
            "{\"notificationType\":\"addedToProject\",\"modelType\":\"project\",\"modelId\":3}",
            "{\"notificationType\":\"addedToProject\",\"modelId\":3,\"dataSourceId\":[1]}",
            "{\"notificationType\":\"dataSourceUpdated\",\"modelId\":3,\"fields\":\"disabled\"}",
            "{\"notificationType\":\"dataSourceUpdated\"}"})
    void storesASubscribedNotificationEvenWhenItsWorkflowCannotReadIt(String body) {
        FakeImmuta.equalizedProjects(PAGE_SIZE, java.util.Map.of());
        FakeImmuta.everythingElseNotFound();

        HttpResponse<String> response = post(body, "application/json");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).matches("\\{\"status\":\"accepted\",\"id\":\"[0-9a-fA-F-]{36}\"}");
        awaitQuiet();
    }
}
