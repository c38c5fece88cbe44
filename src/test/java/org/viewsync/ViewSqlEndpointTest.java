package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/**
 * No public Immuta document names the view SQL endpoint, so every user configures it, and may get it wrong. An answer
 * without SQL (a 404, an empty body, JSON without the field) is a setting to fix or an Immuta fault: the view stays
 * as it is, the task retries, an ERROR names the setting, and readiness shows it. It never drops a view.
 */
@ExtendWith(OutputCaptureExtension.class)
class ViewSqlEndpointTest extends ViewSyncIntegrationTest {

    static final String SQL = "SELECT id, name FROM sales.customers";

    @BeforeEach
    void aViewExists() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, SQL);
        deliver(Notifications.addedToProject(1, 7));
        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }

    @Test
    void aViewSqlPathThatAnswers404KeepsTheViewAndRetries(CapturedOutput output) {
        answerViewSql(FakeImmuta.error(404, "Not Found", "Not Found"));

        String failure = policyChangeThatFinds();

        assertThat(failure).contains("Immuta answered HTTP 404 to GET /dataSource/1/viewSql?projectId=7", "immuta.paths.view-sql");
        assertThat(output).contains("ERROR").contains("the view is left as it is: Immuta answered HTTP 404");
        assertThat(readinessComponent("viewSql").path("status").asText()).isEqualTo("DEGRADED");
        assertThat(readinessComponent("viewSql").path("details").path("reason").asText()).contains("immuta.paths.view-sql");
    }

    @Test
    void anEmptyAnswerKeepsTheViewAndRetries() {
        answerViewSql(ok("").withHeader("Content-Type", "text/plain"));

        assertThat(policyChangeThatFinds()).contains("without view SQL", "immuta.view-sql-field");
    }

    @Test
    void anAnswerWithoutTheSqlFieldKeepsTheViewAndRetries() {
        answerViewSql(okJson("{\"query\": \"" + SQL + "\"}"));

        assertThat(policyChangeThatFinds()).contains("without view SQL", "immuta.view-sql-field");
    }

    @Test
    void theViewFollowsOnceTheEndpointServesSqlAgainAndTheFailedWorkIsReplayed() {
        var broken = answerViewSql(FakeImmuta.error(404, "Not Found", "Not Found"));
        FakeImmuta.projectsContaining(1, PAGE_SIZE, java.util.Map.of(7L, "Clients"));
        post(Notifications.dataSourcePolicyUpdated(1), "application/json");
        awaitSettled();
        assertThat(state.queryForObject("SELECT count(*) FROM view_task WHERE status = 'FAILED'", Integer.class)).isEqualTo(1);

        FakeImmuta.server().removeStub(broken);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/failed/replay"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
        awaitQuiet();

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
        assertThat(POSTGRES.rows("clients__customers").get(0)).containsOnlyKeys("id");
        assertThat(readinessComponent("viewSql").path("status").asText()).isEqualTo("UP");
    }

    /** A policy change whose view SQL call fails every attempt: answers the view task's last error once it is FAILED. */
    private String policyChangeThatFinds() {
        FakeImmuta.projectsContaining(1, PAGE_SIZE, java.util.Map.of(7L, "Clients"));
        assertThat(post(Notifications.dataSourcePolicyUpdated(1), "application/json").statusCode()).isEqualTo(202);
        awaitSettled();

        assertThat(POSTGRES.views()).as("the view is kept").containsExactly("clients__customers");
        assertThat(POSTGRES.rows("clients__customers").get(0)).containsOnlyKeys("id", "name");
        assertThat(state.queryForObject("SELECT count(*) FROM managed_view", Integer.class)).isEqualTo(1);
        assertThat(state.queryForObject("SELECT count(*) FROM refused_view_sql", Integer.class)).as("not a refusal").isZero();
        assertThat(FakeImmuta.count(getRequestedFor(urlPathEqualTo("/dataSource/1/viewSql")))).as("retried").isGreaterThan(1);
        String failure = state.queryForObject("SELECT last_error FROM view_task WHERE status = 'FAILED'", String.class);
        state.update("DELETE FROM view_task");
        return failure;
    }

    private com.github.tomakehurst.wiremock.stubbing.StubMapping answerViewSql(ResponseDefinitionBuilder answer) {
        return FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/1/viewSql")).atPriority(1).willReturn(answer));
    }
}
