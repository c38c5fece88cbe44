package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
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
    void acknowledgesAndIgnoresNotificationTypesWithoutViews() {
        deliver(Notifications.projectCreated(3));

        assertThat(FakeImmuta.count(anyRequestedFor(anyUrl()))).isZero();
        assertThat(timesRun("log-ignored-notification")).isPositive();
    }

    @Test
    void acceptsOnlyPost() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(webhookUri()).GET());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void answersAcceptedWithJson() {
        HttpResponse<String> response = post(Notifications.projectCreated(3), "application/json");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).matches("\\{\"status\":\"accepted\",\"id\":\"[0-9a-fA-F-]{36}\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }
}
