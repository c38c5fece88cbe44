package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.TcpProxy;

/**
 * "A 202 means committed": the instance's PostgreSQL state database sits behind a relay that holds the inbox's COMMIT
 * on its way to the database, and the test reads the database directly, past the relay. The workers poll once at
 * start and then not for an hour, so what the intake stored stays in the inbox for the test to read.
 */
@ExtendWith(OutputCaptureExtension.class)
class AckAfterCommitTest {

    static final String SCHEMA = "viewsync_ack_state";
    static final TcpProxy RELAY = new TcpProxy(5432);
    static final String ACCEPTED = "\\{\"status\":\"accepted\",\"id\":\"([0-9a-f-]{36})\"}";

    final HttpClient http = HttpClient.newHttpClient();
    JdbcTemplate direct;
    int port;

    @AfterEach
    void relayBackToNormal() {
        RELAY.release();
        RELAY.up();
    }

    @Test
    void aDeliveryIsAnsweredOnlyOnceItsRowIsCommitted() throws Exception {
        try (ConfigurableApplicationContext service = start("30s")) {
            RELAY.holdWhenClientSends("COMMIT");
            String body = Notifications.dataSourcePolicyUpdated(1);
            AtomicBoolean commitReleased = new AtomicBoolean();
            AtomicBoolean answeredBeforeTheCommit = new AtomicBoolean();
            CompletableFuture<HttpResponse<String>> answer = deliver(body)
                    .whenComplete((response, failure) -> answeredBeforeTheCommit.set(!commitReleased.get()));

            awaitInsertWaitingForItsCommit();
            assertThat(answer).as("the delivery's answer while its row is not committed").isNotDone();
            assertThat(inboxRows()).as("the row, read past the relay before the commit").isZero();

            commitReleased.set(true);
            RELAY.release();
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(answeredBeforeTheCommit).as("answered while the commit was still held").isFalse();
            assertThat(direct.queryForObject("SELECT body FROM inbox WHERE id = ?", String.class, acceptedId(response)))
                    .as("the acknowledged notification, committed").isEqualTo(body);
        }
    }

    /**
     * A commit that does not come within viewsync.intake.store-timeout is answered 503, and when the connection then
     * breaks, nothing of the notification is left: no row, committed or not. Once the database is back, deliveries are
     * 202 and stored again.
     */
    @Test
    void aStoreThatCannotCommitInTimeIsAnswered503AndLeavesNoRow() throws Exception {
        try (ConfigurableApplicationContext service = start("1s")) {
            RELAY.holdWhenClientSends("COMMIT");

            HttpResponse<String> refused = deliver(Notifications.dataSourcePolicyUpdated(1)).get(30, TimeUnit.SECONDS);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo("{\"error\":\"the notification could not be stored; it was not accepted\"}");
            assertThat(RELAY.held()).as("its commit, still on its way").isEqualTo(1);
            assertThat(inboxRows()).as("the row, read past the relay").isZero();

            RELAY.down();
            Awaitility.await("the database ends the cut session").atMost(Duration.ofSeconds(30)).until(() -> uncommittedInserts() == 0);
            assertThat(inboxRows()).as("the refused notification, after its connection broke").isZero();

            // Back: deliveries are stored again. One may still meet a pooled connection the cut broke, and be refused:
            // whatever the answer, a notification is stored exactly when it was answered 202.
            RELAY.up();
            List<Map<String, Object>> acknowledged = new ArrayList<>();
            AtomicInteger sent = new AtomicInteger(1);
            Awaitility.await("a delivery accepted again").atMost(Duration.ofSeconds(30)).until(() -> {
                String next = Notifications.dataSourcePolicyUpdated(sent.incrementAndGet());
                HttpResponse<String> answer = deliver(next).get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isIn(202, 503);
                if (answer.statusCode() == 202) {
                    acknowledged.add(Map.of("id", acceptedId(answer), "body", next));
                }
                return !acknowledged.isEmpty();
            });
            assertThat(direct.queryForList("SELECT id, body FROM inbox")).as("exactly what was acknowledged")
                    .containsExactlyElementsOf(acknowledged);
        }
    }

    /**
     * Deliveries that wait while a commit is under way share the next one (group commit). One of them cannot be stored
     * (a NUL byte after its JSON, which PostgreSQL text refuses): it alone is refused; every other is 202 and stored.
     */
    @Test
    void aGroupCommitWithOneBadRowStoresEveryOtherAndRefusesOnlyThatOne(CapturedOutput output) throws Exception {
        int good = 20;
        try (ConfigurableApplicationContext service = start("30s")) {
            CamelContext camel = service.getBean(CamelContext.class);
            RELAY.holdWhenClientSends("COMMIT");
            CompletableFuture<HttpResponse<String>> first = deliver(Notifications.dataSourcePolicyUpdated(100));
            awaitInsertWaitingForItsCommit();

            List<CompletableFuture<HttpResponse<String>>> goodAnswers = new ArrayList<>();
            for (int i = 1; i <= good; i++) {
                goodAnswers.add(deliver(Notifications.dataSourcePolicyUpdated(i)));
            }
            String bad = Notifications.dataSourcePolicyUpdated(999) + "\u0000";
            CompletableFuture<HttpResponse<String>> badAnswer = deliver(bad);
            // All of them wait for the commit behind the held one: the next commit takes them as one group.
            Awaitility.await("every delivery waits to be committed").atMost(Duration.ofSeconds(30)).until(() -> camel.getInflightRepository()
                    .browse("webhook-intake").stream().filter(exchange -> "commit-to-inbox".equals(exchange.getNodeId())).count() == good + 2);
            RELAY.release();

            assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            List<String> acknowledged = new ArrayList<>(List.of(acceptedId(first.get())));
            for (CompletableFuture<HttpResponse<String>> answer : goodAnswers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                acknowledged.add(acceptedId(response));
            }
            HttpResponse<String> refused = badAnswer.get(30, TimeUnit.SECONDS);
            assertThat(refused.statusCode()).as("the delivery that cannot be stored").isEqualTo(503);
            assertThat(refused.body()).isEqualTo("{\"error\":\"the notification could not be stored; it was not accepted\"}");
            assertThat(direct.queryForList("SELECT id FROM inbox", String.class)).as("every acknowledged notification, and only those")
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(output.getAll()).as("the group that failed, stored one by one")
                    .contains("A group commit of " + (good + 1) + " notifications failed");
        }
    }

    /** An instance whose state database is reached through the relay, with the given store timeout. */
    private ConfigurableApplicationContext start(String storeTimeout) {
        String directUrl = Services.freshPostgresState(SCHEMA);
        direct = new JdbcTemplate(new DriverManagerDataSource(directUrl, "postgres", ""));
        String relayedUrl = directUrl.replace("127.0.0.1:5432/", "127.0.0.1:" + RELAY.port() + "/") + "&prepareThreshold=0";
        port = Services.freePort();
        Map<String, String> settings = new HashMap<>();
        settings.put("viewsync.intake.store-timeout", storeTimeout);
        settings.put("viewsync.queue.poll-interval", "1h");
        settings.put("viewsync.reconciliation.request-poll-interval", "1h");
        return Services.start(Services.againstFakeImmuta(port, relayedUrl, settings));
    }

    /** The writer's transaction has inserted the row, and its COMMIT is held in the relay. */
    private void awaitInsertWaitingForItsCommit() {
        Awaitility.await("an inbox insert waiting for its commit").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> RELAY.held() == 1 && uncommittedInserts() == 1);
    }

    /** Sessions of the state database that inserted into the inbox and have not committed. */
    private int uncommittedInserts() {
        return direct.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = 'viewsync_test'"
                + " AND state = 'idle in transaction' AND query LIKE 'INSERT INTO inbox%'", Integer.class);
    }

    private int inboxRows() {
        return direct.queryForObject("SELECT count(*) FROM inbox", Integer.class);
    }

    private CompletableFuture<HttpResponse<String>> deliver(String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/immuta/webhook"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String acceptedId(HttpResponse<String> response) {
        assertThat(response.body()).matches(ACCEPTED);
        return response.body().replaceAll(ACCEPTED, "$1");
    }
}
