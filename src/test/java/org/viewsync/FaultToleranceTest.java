package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/** Immuta or a target failing for a while: every acknowledged notification still takes effect. */
class FaultToleranceTest extends ViewSyncIntegrationTest {

    static final String SQL = "SELECT id, name FROM sales.customers";

    private void customersInProject(String handler) {
        FakeImmuta.dataSource(1, "Customers", "customers", handler);
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, SQL);
    }

    /** The next {@code times} calls to the path fail with {@code failure}; then the regular stubs answer. */
    private void failing(String path, int times, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= times; i++) {
            String next = "failed-" + i;
            FakeImmuta.server().stubFor(get(path).atPriority(1).inScenario(path).whenScenarioStateIs(state)
                    .willSetStateTo(next).willReturn(failure));
            state = next;
        }
    }

    @Test
    void immutaAnswering503ForAWhile() {
        customersInProject("PostgreSQL");
        // Fewer failures than viewsync.queue.max-attempts (4 in the tests): the inbox retries until Immuta answers.
        failing("/dataSource/1", 3, serviceUnavailable());

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }

    @Test
    void immutaTimingOutAndResettingConnections() {
        customersInProject("PostgreSQL");
        failing("/project/7", 2, aResponse().withStatus(200).withFixedDelay(3000));
        failing("/dataSource/1/viewSql?projectId=7", 3, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }

    @Test
    void aTargetRefusingConnectionsForAWhile() {
        customersInProject(FLAKY_HANDLER);
        FLAKY_POSTGRES.down();

        post(Notifications.addedToProject(1, 7), "application/json");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                state.queryForObject("SELECT COALESCE(max(attempts), 0) FROM view_task", Integer.class) >= 1);
        FLAKY_POSTGRES.up();
        awaitQuiet();

        assertThat(POSTGRES.query("SELECT table_name FROM information_schema.views WHERE table_schema = '" + FLAKY_SCHEMA + "'"))
                .containsExactly(java.util.Map.of("table_name", "clients__customers"));
    }

    @Test
    void aNotificationThatKeepsFailingIsListedAndReplayable() {
        customersInProject("PostgreSQL");
        FakeImmuta.server().stubFor(get("/dataSource/1").atPriority(1).willReturn(serverError()));

        post(Notifications.addedToProject(1, 7), "application/json");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                state.queryForObject("SELECT count(*) FROM inbox WHERE status = 'FAILED'", Integer.class) == 1);

        String failed = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/failed")).GET()).body();
        assertThat(failed).contains("\"notificationType\":\"addedToProject\"", "\"attempts\":4", "HTTP 500");
        assertThat(POSTGRES.views()).isEmpty();
        String metric = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/metrics/viewsync.inbox?tag=status:failed")).GET()).body();
        assertThat(metric).contains("\"value\":1.0");

        FakeImmuta.reset();
        customersInProject("PostgreSQL");
        String replayed = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/failed/replay"))
                .POST(HttpRequest.BodyPublishers.noBody())).body();
        assertThat(replayed).isEqualTo("{\"replayed\":1,\"replayedViewTasks\":0}");
        awaitQuiet();

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).isZero();
    }

    @Test
    void aCircuitBreakerStopsHammeringAFailingImmutaAndClosesOnItsOwn() {
        FakeImmuta.project(7, "Clients", true);
        for (long source = 1; source <= 15; source++) {
            FakeImmuta.dataSource(source, "Table " + source, "table_" + source, "PostgreSQL");
            FakeImmuta.viewSql(source, 7, SQL);
        }
        // 500, not 503: a 503 is Immuta pushing back, which holds calls on its own (ImmutaPushBackTest).
        FakeImmuta.server().stubFor(get(urlPathMatching("/dataSource/[0-9]+")).atPriority(1).willReturn(serverError()));

        for (long source = 1; source <= 15; source++) {
            post(Notifications.addedToProject(source, 7), "application/json");
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                timesRun("inbox-postpone-row") >= 30);

        int calls = FakeImmuta.count(getRequestedFor(urlPathMatching("/dataSource/[0-9]+")));
        assertThat(calls).as("Immuta calls while the breaker refused %d", timesRun("inbox-postpone-row")).isLessThan(30);
        assertThat(state.queryForObject("SELECT count(*) FROM inbox WHERE status = 'FAILED'", Integer.class))
                .as("a refused call uses up no attempt").isZero();

        FakeImmuta.server().removeStub(FakeImmuta.server().getStubMappings().stream()
                .filter(stub -> stub.getPriority() != null && stub.getPriority() == 1).findFirst().orElseThrow());
        awaitQuiet();
        assertThat(POSTGRES.views()).hasSize(15);
    }

    @Test
    void replayingAnUnknownNotificationIs404() {
        int status = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/failed/nope/replay"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode();

        assertThat(status).isEqualTo(404);
    }
}
