package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.ViewSyncIntegrationTest;

/** The Immuta API key, its tokens, the webhook secret and the passwords appear nowhere a person or a scraper can read. */
@ExtendWith(OutputCaptureExtension.class)
class SecretsTest extends ViewSyncIntegrationTest {

    @Test
    void noSecretInLogsErrorsActuatorOrAdminAnswers(CapturedOutput output) {
        // Work that authenticates, re-authenticates after the token changes, fails and is listed as failed.
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        deliver(Notifications.addedToProject(1, 7));
        FakeImmuta.issueToken("token-rotated");
        deliver(Notifications.addedToProject(1, 7));
        FakeImmuta.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/dataSource/9").atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.serverError()));
        assertThat(post(Notifications.addedToProject(9, 7), "application/json").statusCode()).isEqualTo(202);
        awaitSettled();
        assertThat(state.queryForObject("SELECT count(*) FROM inbox WHERE status = 'FAILED'", Integer.class)).as("the failure listed").isEqualTo(1);

        List<String> readable = new ArrayList<>();
        for (String path : List.of("/views", "/admin/failed", "/admin/refused", "/admin/reconcile", "/actuator", "/actuator/health",
                "/actuator/info", "/actuator/metrics", "/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/camelroutes",
                "/actuator/prometheus", "/actuator/jolokia/read/org.apache.camel:*?ignoreErrors=true",
                "/actuator/jolokia/read/java.lang:type=Runtime?ignoreErrors=true")) {
            readable.add(path + " -> " + send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET()).body());
        }
        readable.add(output.getAll());

        for (String secret : List.of(FakeImmuta.API_KEY, FakeImmuta.FIRST_TOKEN, "token-rotated", WEBHOOK_SECRET, Services.ADMIN_PASSWORD,
                TARGET_PASSWORD)) {
            assertThat(readable).as("where " + secret + " could show").noneMatch(text -> text.contains(secret));
        }
        assertThat(output.getAll()).as("the work did happen").contains("Applied view");
    }
}
