package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.SQLException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.TargetDatabase;
import org.viewsync.support.ViewSyncIntegrationTest;
import org.viewsync.targets.Target;
import org.viewsync.targets.Targets;

/** View SQL from Immuta that is not exactly one query never reaches the target database. */
class HostileViewSqlTest extends ViewSyncIntegrationTest {

    static final String GOOD_SQL = "SELECT id, name FROM sales.customers";

    @Autowired
    Targets targets;

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id FROM sales.customers; DROP TABLE sales.customers",
            "SELECT id FROM sales.customers; DELETE FROM sales.customers",
            "SELECT id FROM sales.customers /* harmless */; INSERT INTO sales.customers VALUES (9, 'Eve', 'e@x', 'EU')",
            "DROP TABLE sales.customers",
            "INSERT INTO sales.customers VALUES (9, 'Eve', 'eve@example.com', 'EU')",
            "UPDATE sales.customers SET email = 'owned'",
            "SELECT id, name INTO sales.stolen FROM sales.customers",
            "WITH gone AS (DELETE FROM sales.customers RETURNING *) SELECT * FROM gone",
            "CREATE TABLE sales.stolen AS SELECT * FROM sales.customers",
            "GRANT ALL ON sales.customers TO PUBLIC",
            "SELECT id FROM sales.customers) AS x; DROP TABLE sales.customers; --"})
    void isRefusedAndTouchesNothing(String hostileSql) {
        for (TargetDatabase target : List.of(POSTGRES, MARIADB)) {
            var before = target.objects();
            long dataSourceId = target == POSTGRES ? 1 : 2;
            FakeImmuta.dataSource(dataSourceId, "Customers", "customers", target.handlerType);
            FakeImmuta.project(7, "Clients", true);
            FakeImmuta.viewSql(dataSourceId, 7, hostileSql);

            deliver(Notifications.addedToProject(dataSourceId, 7));

            assertThat(target.views()).as(target + " views").isEmpty();
            assertThat(target.objects()).as(target + " objects").isEqualTo(before);
            assertThat(target.customers()).as(target + " source rows").hasSize(3)
                    .extracting(row -> row.get("email")).doesNotContain("owned");
            assertThat(state.queryForObject("SELECT count(*) FROM refused_view_sql WHERE project_id = 7 AND data_source_id = ?",
                    Integer.class, dataSourceId)).isEqualTo(1);
        }
        assertThat(state.queryForObject("SELECT count(*) FROM inbox", Integer.class)).as("refusals are not retried").isZero();
    }

    @Test
    void dropsTheOutdatedViewListsTheRefusalAndLetsOtherViewsProceed() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, GOOD_SQL);
        deliver(Notifications.addedToProject(1, 7));
        assertThat(POSTGRES.views()).containsExactly("clients__customers");

        String hostile = "SELECT id FROM sales.customers; DROP TABLE sales.customers";
        FakeImmuta.viewSql(1, 7, hostile);
        FakeImmuta.dataSource(3, "Accounts", "accounts", "PostgreSQL");
        FakeImmuta.viewSql(3, 7, GOOD_SQL);
        deliver(Notifications.addedToProject(1, 7));
        deliver(Notifications.addedToProject(3, 7));

        assertThat(POSTGRES.views()).as("the outdated view is gone, the other view is there").containsExactly("clients__accounts");
        assertThat(POSTGRES.customers()).hasSize(3);
        String refused = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/refused")).GET()).body();
        assertThat(refused).contains("\"projectId\":7", "\"dataSourceId\":1", "\"sqlHash\":\"" + sha256(hostile) + "\"")
                .contains("2 statements").doesNotContain("DROP");
        String metric = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/metrics/viewsync.view.sql.refused")).GET()).body();
        assertThat(metric).contains("\"value\":1.0");

        FakeImmuta.viewSql(1, 7, GOOD_SQL);
        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactlyInAnyOrder("clients__accounts", "clients__customers");
        assertThat(state.queryForObject("SELECT count(*) FROM refused_view_sql", Integer.class)).as("the refusal is cleared").isZero();
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void acceptsOrdinaryPolicyQueries(TargetDatabase target) {
        long dataSourceId = target == POSTGRES ? 1 : 2;
        FakeImmuta.dataSource(dataSourceId, "Customers", "customers", target.handlerType);
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(dataSourceId, 7, "WITH eu AS (SELECT * FROM sales.customers WHERE region = 'EU')"
                + " SELECT id, name, CASE WHEN region = 'EU' THEN 'REDACTED' ELSE email END AS email FROM sales.customers"
                + " WHERE id NOT IN (SELECT id FROM eu WHERE name = 'nobody') UNION ALL SELECT 99, 'x', 'y' FROM sales.customers WHERE 1 = 0 -- trailing comment");

        deliver(Notifications.addedToProject(dataSourceId, 7));

        assertThat(target.views()).containsExactly("clients__customers");
        assertThat(target.rows("clients__customers")).extracting(row -> row.get("email"))
                .containsExactly("REDACTED", "bob@example.com", "chen@example.com");
    }

    /**
     * Should a second statement get past the guard, the route's DDL step refuses it and runs nothing: the view SQL goes
     * straight to write-view, which runs the DDL (docs/security.md).
     */
    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void aSecondStatementPastTheGuardIsRefusedByTheDdlStep(TargetDatabase target) throws Exception {
        // The source schema outlives the tests' resets: a marker left by an earlier, failed run must not hide this one's.
        target.execute("DROP TABLE IF EXISTS sales.past_the_guard_marker");
        var before = target.objects();
        Exchange exchange = ExchangeBuilder.anExchange(camel).build();
        Target serving = targets.named(target.target);
        exchange.setVariable("target", serving);
        exchange.setVariable("targetName", serving.name());
        exchange.setVariable("targetSchema", serving.schema());
        exchange.setVariable("viewName", "past_the_guard");
        exchange.setVariable("viewSql", "SELECT id FROM sales.customers; CREATE TABLE sales.past_the_guard_marker (x int)");

        try (ProducerTemplate template = camel.createProducerTemplate()) {
            template.send("direct:write-view", exchange);
        }

        assertThat(target.objects()).as(target + " objects").doesNotContain("sales.past_the_guard_marker").isEqualTo(before);
        assertThat(exchange.getException()).isInstanceOf(SQLException.class);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
