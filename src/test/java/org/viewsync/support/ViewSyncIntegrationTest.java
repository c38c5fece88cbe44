package org.viewsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.viewsync.simulator.WebhookSender;

/**
 * The whole service, booted once and shared by the workflow suites: real HTTP in from the test, real HTTP out to
 * a WireMock Immuta, real PostgreSQL and MariaDB targets, an in-memory H2 state database.
 */
@CamelSpringBootTest
@DisableJmx(false)
// Dynamic properties arrive after the simulator decides whether Immuta is configured: switch it off explicitly.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "viewsync.simulator.enabled=false")
public abstract class ViewSyncIntegrationTest {

    /** Small, so that a handful of projects or data sources spans several pages. */
    public static final int PAGE_SIZE = 2;

    protected static final TargetDatabase POSTGRES = TargetDatabase.POSTGRES;
    protected static final TargetDatabase MARIADB = TargetDatabase.MARIADB;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The suite runs as production should: deliveries must be signed with this secret. */
    protected static final String WEBHOOK_SECRET = "test-webhook-secret";
    protected static final String SIGNATURE_HEADER = WebhookSender.SIGNATURE_HEADER;
    /** PostgreSQL here trusts local connections, so the target's password can be a secret to look for in the output. */
    protected static final String TARGET_PASSWORD = "target-db-password";

    /** PostgreSQL again, behind a relay a test can take down: the target of handler type {@value #FLAKY_HANDLER}. */
    protected static final TcpProxy FLAKY_POSTGRES = new TcpProxy(5432);
    protected static final String FLAKY_HANDLER = "FlakyPostgreSQL";
    protected static final String FLAKY_SCHEMA = "immuta_views_flaky";

    private static final java.util.concurrent.atomic.AtomicInteger CONTEXTS = new java.util.concurrent.atomic.AtomicInteger();

    @LocalServerPort
    protected int port;

    @Autowired
    protected CamelContext camel;

    @Autowired
    protected JdbcTemplate state;

    @DynamicPropertySource
    static void wireToRealParts(DynamicPropertyRegistry registry) {
        FakeImmuta.reset();
        registry.add("immuta.url", FakeImmuta::url);
        registry.add("immuta.api-key", () -> FakeImmuta.API_KEY);
        registry.add("immuta.page-size", () -> PAGE_SIZE);
        registry.add("viewsync.admin.password", () -> Services.ADMIN_PASSWORD);
        registry.add("viewsync.webhook.secret", () -> WEBHOOK_SECRET);
        // WireMock, standing in for Immuta, runs on this machine: a loopback hook URL is right here.
        registry.add("viewsync.webhook.url", () -> "http://localhost/immuta/webhook");
        registry.add("viewsync.webhook.allow-loopback", () -> true);
        // Its hook is checked at start only: Spring keeps this context for later test classes, and a check every five
        // minutes would call the shared FakeImmuta in the middle of another class's test (RegistrationTest counts them).
        registry.add("viewsync.webhook.check-interval", () -> Duration.ofDays(1).toMillis());
        // Each test drives the service itself; reconciliation runs when a test asks for it.
        registry.add("viewsync.reconciliation.enabled", () -> false);
        registry.add("viewsync.preflight.at-start", () -> false);
        registry.add("viewsync.queue.poll-interval", () -> "20ms");
        registry.add("viewsync.reconciliation.request-poll-interval", () -> "50ms");
        registry.add("viewsync.queue.initial-backoff", () -> "100ms");
        registry.add("viewsync.queue.coalesce-window", () -> "200ms");
        registry.add("viewsync.queue.max-backoff", () -> "1s");
        registry.add("viewsync.queue.max-attempts", () -> 4);
        registry.add("immuta.circuit-breaker.open-seconds", () -> 1);
        // A 429 or 503 without Retry-After holds Immuta's calls this long: short, like the other waits here.
        registry.add("immuta.push-back-pause", () -> "300ms");
        registry.add("camel.component.http.response-timeout", () -> 2000);
        registry.add("camel.component.http.so-timeout", () -> 2000);
        registry.add("viewsync.targets.flaky.url", () -> "jdbc:postgresql://127.0.0.1:" + FLAKY_POSTGRES.port() + "/viewsync_test");
        registry.add("viewsync.targets.flaky.username", () -> "postgres");
        registry.add("viewsync.targets.flaky.handler-types", () -> FLAKY_HANDLER);
        registry.add("viewsync.targets.flaky.schema", () -> FLAKY_SCHEMA);
        // A state database per context: a context cached by Spring for another test class must not claim this one's work.
        String stateDatabase = "viewsync-state-" + CONTEXTS.incrementAndGet();
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + stateDatabase + ";DB_CLOSE_DELAY=-1");
        for (TargetDatabase target : TargetDatabase.values()) {
            target.reset();
            String prefix = "viewsync.targets." + target.target + ".";
            registry.add(prefix + "url", () -> target.url);
            registry.add(prefix + "username", () -> target.user);
            if (target == POSTGRES) {
                registry.add(prefix + "password", () -> TARGET_PASSWORD);
            }
            registry.add(prefix + "handler-types", () -> target.handlerType);
            registry.add(prefix + "schema", () -> target.schema);
        }
    }

    @Autowired
    private org.viewsync.health.RegistrationHealthIndicator registration;

    @BeforeEach
    void startFromAnEmptyWorld() {
        // The shared service checks its webhook (and reads Immuta's delivery history) at its start: let that finish
        // before a test counts calls to Immuta.
        Awaitility.await("the webhook check at start").atMost(Duration.ofSeconds(30)).until(() ->
                !registration.health().getStatus().equals(org.springframework.boot.actuate.health.Status.UNKNOWN)
                        && camel.getInflightRepository().size("register-webhook") == 0);
        FakeImmuta.reset();
        POSTGRES.reset();
        MARIADB.reset();
        state.update("DELETE FROM managed_view");
        state.update("DELETE FROM inbox");
        state.update("DELETE FROM view_task");
        state.update("DELETE FROM refused_view_sql");
        state.update("UPDATE lease SET requested_at = NULL");
        FLAKY_POSTGRES.up();
        POSTGRES.execute("DROP SCHEMA IF EXISTS " + FLAKY_SCHEMA + " CASCADE; CREATE SCHEMA " + FLAKY_SCHEMA);
    }

    /** Every interaction with the fake Immuta during the test is one Immuta's API description allows. */
    @org.junit.jupiter.api.AfterEach
    void immutaContractKept() {
        FakeImmuta.assertContractKept();
    }

    /** Delivers a notification the way Immuta does and waits until the service has fully processed it. */
    protected void deliver(String notification) {
        HttpResponse<String> response = post(notification, "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        awaitQuiet();
    }

    /**
     * Waits until no acknowledged notification, no view work it caused and no reconciliation it asked for is left to
     * do, then fails if any of it ended FAILED: a test that expects nothing to happen must not pass because processing
     * crashed. A test that expects failures waits with {@link #awaitSettled()} and asserts them itself.
     */
    protected void awaitQuiet() {
        awaitSettled();
        List<String> failed = state.queryForList("SELECT 'notification ' || notification_type || ': ' || last_error FROM inbox WHERE status = 'FAILED'"
                + " UNION ALL SELECT 'view task ' || project_id || '/' || data_source_id || ': ' || last_error FROM view_task WHERE status = 'FAILED'",
                String.class);
        assertThat(failed).as("work that failed although the test expected none").isEmpty();
    }

    /** Waits until no notification, view task or requested reconciliation is pending, whatever their outcome. */
    protected void awaitSettled() {
        Awaitility.await("inbox, view tasks and requested reconciliations worked off").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> state.queryForObject("SELECT (SELECT count(*) FROM inbox WHERE status = 'PENDING')"
                        + " + (SELECT count(*) FROM view_task WHERE status = 'PENDING')"
                        + " + (SELECT count(*) FROM lease WHERE name = 'reconciliation' AND (requested_at IS NOT NULL OR until IS NOT NULL))",
                        Integer.class) == 0);
    }

    /** Posts the body to the webhook, signed as Immuta signs it (and without admin credentials, as Immuta sends it). */
    protected HttpResponse<String> post(String body, String contentType) {
        return exchange(HttpRequest.newBuilder(webhookUri()).header("Content-Type", contentType).header(SIGNATURE_HEADER, signature(body))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Hex HMAC-SHA256 of the body under {@link #WEBHOOK_SECRET}, as the simulator signs for Immuta (WebhookSenderTest checks it). */
    protected static String signature(String body) {
        return signature(body.getBytes(StandardCharsets.UTF_8));
    }

    protected static String signature(byte[] body) {
        return WebhookSender.sign(WEBHOOK_SECRET, body);
    }

    /** Sends the request as the admin (the credentials do not matter to the webhook, which checks signatures). */
    protected HttpResponse<String> send(HttpRequest.Builder request) {
        return exchange(Services.asAdmin(request));
    }

    private static HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected URI webhookUri() {
        return URI.create("http://localhost:" + port + "/immuta/webhook");
    }

    /** A component of the readiness probe's answer ({@code status}, {@code details}), as an operator reads it. */
    protected com.fasterxml.jackson.databind.JsonNode readinessComponent(String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(exchange(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health/readiness"))).body()).path("components").path(name);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many times a route step ran, as Hawtio shows it. */
    protected long timesRun(String stepId) {
        return managed().getManagedProcessor(stepId).getExchangesTotal();
    }

    /** How many exchanges a route completed, as Hawtio shows it. */
    protected long timesRouted(String routeId) {
        return managed().getManagedRoute(routeId).getExchangesTotal();
    }

    private ManagedCamelContext managed() {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
    }
}
