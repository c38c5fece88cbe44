package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/** How much the service asks of Immuta at once, and how it gives way when Immuta pushes back (429, 503). */
// More HTTP connections than the cap, so that the cap, not the connection pool, is what holds the calls back.
@TestPropertySource(properties = {"immuta.max-concurrent-calls=" + ImmutaPushBackTest.CAP,
        "camel.component.http.connections-per-route=20"})
@ExtendWith(OutputCaptureExtension.class)
class ImmutaPushBackTest extends ViewSyncIntegrationTest {

    static final int CAP = 3;
    static final String SQL = "SELECT id, name FROM sales.customers";

    @Test
    void neverMoreCallsInFlightThanTheCapAcrossWorkflowsAndViewTasks() {
        FakeImmuta.project(7, "Clients", true);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (long source = 1; source <= 12; source++) {
            FakeImmuta.dataSource(source, "Table " + source, "table_" + source, "PostgreSQL");
            entries.add(FakeImmuta.projectDataSource(source, "Table " + source, "PostgreSQL"));
            FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/" + source + "/viewSql")).atPriority(1)
                    .withQueryParam("projectId", equalTo("7"))
                    .willReturn(okJson("{\"sql\": \"" + SQL + "\"}").withFixedDelay(300)));
        }
        FakeImmuta.projectDataSources(7, PAGE_SIZE, entries);

        deliver(Notifications.projectPolicyUpdated(7));

        assertThat(POSTGRES.views()).hasSize(12);
        assertThat(mostInFlight(FakeImmuta.server().getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().contains("/viewSql")).toList()))
                .as("Immuta calls in flight at once, more view workers than that waiting on 12 slow view-SQL calls").isEqualTo(CAP);
    }

    @Test
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD) // its limit, lowered to 1, climbs back slowly
    void aRetryAfterHoldsEveryCallAndPushedBackWorkUsesUpNoAttempt(CapturedOutput output) {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, SQL);
        // More pushes back than viewsync.queue.max-attempts (4 in the tests): none may count as a failed attempt.
        String state = Scenario.STARTED;
        for (int i = 1; i <= 6; i++) {
            String next = "pushed-back-" + i;
            FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/1/viewSql")).atPriority(1).inScenario("busy")
                    .whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(FakeImmuta.error(429, "Too Many Requests", "Rate limit exceeded").withHeader("Retry-After", "1")));
            state = next;
        }

        ResilienceProcessor circuitBreaker = camel.getProcessor("immuta-circuit-breaker", ResilienceProcessor.class);
        long refusedCallsBefore = circuitBreaker.getNumberOfNotPermittedCalls();

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
        // A push-back is obeyed as Immuta asked, not taken for Immuta failing: the circuit never opens on it.
        assertThat(circuitBreaker.getCircuitBreakerState()).isEqualTo("CLOSED");
        assertThat(circuitBreaker.getNumberOfNotPermittedCalls()).isEqualTo(refusedCallsBefore);
        List<ServeEvent> viewSqlCalls = FakeImmuta.server().getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith("/dataSource/1/viewSql"))
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate())).toList();
        assertThat(viewSqlCalls).hasSize(7);
        for (int i = 1; i < viewSqlCalls.size(); i++) {
            assertThat(started(viewSqlCalls.get(i))).as("call %d waits out the Retry-After of the answer before it", i + 1)
                    .isAfterOrEqualTo(ended(viewSqlCalls.get(i - 1)).plusSeconds(1));
        }
        assertThat(output).contains("Immuta answered HTTP 429 to GET /dataSource/1/viewSql?projectId=7: {")
                .contains("\"message\":\"Rate limit exceeded\"")
                .contains("calls to Immuta in flight at once lowered from " + CAP)
                .doesNotContain("failed after");
    }

    /**
     * A call that starts while a long Retry-After of Immuta's lasts fails at once, before it reaches Immuta: its
     * notification waits in the inbox until the pause ends, with no attempt used up and no error recorded.
     */
    @Test
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD) // Immuta's pause outlasts the test
    void workThatMeetsALongPauseIsPostponedUntilItEndsWithoutUsingAnAttempt(CapturedOutput output) {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.dataSource(2, "Orders", "orders", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.server().stubFor(get(urlPathEqualTo("/dataSource/1/viewSql")).atPriority(1)
                .willReturn(FakeImmuta.error(429, "Too Many Requests", "Rate limit exceeded").withHeader("Retry-After", "600")));
        assertThat(post(Notifications.addedToProject(1, 7), "application/json").statusCode()).isEqualTo(202);
        Awaitility.await("the view SQL call answered 429").atMost(Duration.ofSeconds(30))
                .until(() -> FakeImmuta.server().getAllServeEvents().stream()
                        .anyMatch(event -> event.getRequest().getUrl().startsWith("/dataSource/1/viewSql")));
        Awaitility.await("the first notification done").atMost(Duration.ofSeconds(30))
                .until(() -> state.queryForObject("SELECT count(*) FROM inbox", Integer.class) == 0);
        int callsBefore = FakeImmuta.server().getAllServeEvents().size();

        assertThat(post(Notifications.addedToProject(2, 7), "application/json").statusCode()).isEqualTo(202);

        Instant fiveMinutesOn = Instant.now().plus(Duration.ofMinutes(5));
        Awaitility.await("the second notification postponed").atMost(Duration.ofSeconds(30))
                .until(() -> state.queryForList("SELECT next_attempt_at FROM inbox WHERE claim IS NULL", java.sql.Timestamp.class)
                        .stream().anyMatch(due -> due != null && due.toInstant().isAfter(fiveMinutesOn)));
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).isEqualTo(1);
        assertThat(state.queryForObject("SELECT count(*) FROM inbox WHERE status = 'PENDING' AND attempts = 0 AND last_error IS NULL",
                Integer.class)).as("the postponed notification, no attempt used up, no error").isEqualTo(1);
        assertThat(FakeImmuta.server().getAllServeEvents()).as("calls that reached Immuta during its pause").hasSize(callsBefore);
        assertThat(output).doesNotContain("failed after");
    }

    private static Instant started(ServeEvent event) {
        return event.getRequest().getLoggedDate().toInstant();
    }

    private static Instant ended(ServeEvent event) {
        return started(event).plusMillis(event.getTiming().getTotalTime());
    }

    /** The most requests the fake Immuta was answering at one moment. */
    private static int mostInFlight(List<ServeEvent> events) {
        List<long[]> edges = new ArrayList<>();
        for (ServeEvent event : events) {
            edges.add(new long[] {started(event).toEpochMilli(), 1});
            edges.add(new long[] {ended(event).toEpochMilli(), -1});
        }
        // An answer that ends as another call starts does not overlap it.
        edges.sort(Comparator.<long[]>comparingLong(edge -> edge[0]).thenComparingLong(edge -> edge[1]));
        int inFlight = 0;
        int most = 0;
        for (long[] edge : edges) {
            inFlight += (int) edge[1];
            most = Math.max(most, inFlight);
        }
        return most;
    }
}
