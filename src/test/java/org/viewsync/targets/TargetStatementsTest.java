package org.viewsync.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.viewsync.config.ViewSyncProperties;

/**
 * The step that runs the service's DDL on the targets, handed texts of two statements directly, as if the view SQL
 * guard had let one through, on real PostgreSQL and MariaDB and an in-memory H2. Each is refused and nothing runs: the
 * second statement would create a marker table, the first a view, and neither exists afterwards.
 * <p>
 * Runs in databases of its own: PostgreSQL {@code viewsync_guard} (schema target_probe), MariaDB {@code viewsync_guard}.
 */
class TargetStatementsTest {

    private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/viewsync_guard";
    private static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/viewsync_guard";
    private static final String H2_URL = "jdbc:h2:mem:target_probe;DB_CLOSE_DELAY=-1";

    private static Targets targets;
    private static TargetStatements statements;
    private static Target postgres;
    private static Target mariadb;
    private static Target h2;

    @BeforeAll
    static void startTargets() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = admin.createStatement();
             ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'viewsync_guard'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE viewsync_guard");
            }
        }
        try (Connection maria = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
             Statement statement = maria.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS viewsync_guard");
        }
        ViewSyncProperties properties = new ViewSyncProperties();
        properties.getTargets().put("pg", target(POSTGRES_URL, "postgres", "target_probe"));
        properties.getTargets().put("maria", target(MARIADB_URL, "root", "viewsync_guard"));
        properties.getTargets().put("h2", target(H2_URL, "sa", "target_probe"));
        targets = new Targets(properties, new DefaultCamelContext());
        statements = new TargetStatements(targets);
        postgres = targets.named("pg");
        mariadb = targets.named("maria");
        h2 = targets.named("h2");
    }

    @AfterAll
    static void closeTargets() {
        targets.destroy();
    }

    @BeforeEach
    void emptySchemas() throws SQLException {
        for (Target target : List.of(postgres, mariadb, h2)) {
            statements.execute(target, target.dialect().createSchemaIfMissing(target.schema()));
            statements.execute(target, "DROP VIEW IF EXISTS " + qualified(target, "target_view"));
            statements.execute(target, "DROP TABLE IF EXISTS " + qualified(target, "target_marker"));
        }
    }

    @Test
    void refusesTwoStatementsOnPostgres() {
        assertThatThrownBy(() -> statements.execute(postgres, createViewAndMarker(postgres, "SELECT 1 AS a")))
                .isInstanceOf(SQLException.class).hasMessageContaining("pgjdbc would send as 2 statements");
        assertThat(objects(postgres)).isEmpty();
    }

    /**
     * pgjdbc closes a comment at {@code /*}{@code /} and then counts the ) after it, so it sees no statement end at the
     * semicolon; the server's comment goes on to {@code *}{@code /}, so it sees two statements in one Parse message.
     */
    @Test
    void postgresRefusesASecondStatementThatPgjdbcDoesNotSplitOff() {
        assertThatThrownBy(() -> statements.execute(postgres, createViewAndMarker(postgres, "SELECT 1 AS a /*/ ) */")))
                .isInstanceOf(SQLException.class).hasMessageContaining("cannot insert multiple commands into a prepared statement");
        assertThat(objects(postgres)).isEmpty();
    }

    @Test
    void refusesTwoStatementsOnMariaDb() {
        assertThatThrownBy(() -> statements.execute(mariadb, createViewAndMarker(mariadb, "SELECT 1 AS a")))
                .isInstanceOf(SQLException.class).hasMessageContaining("You have an error in your SQL syntax");
        assertThat(objects(mariadb)).isEmpty();
    }

    @Test
    void refusesTwoStatementsOnH2() {
        assertThatThrownBy(() -> statements.execute(h2, createViewAndMarker(h2, "SELECT 1 AS a")))
                .isInstanceOf(SQLException.class).hasMessageContaining("H2 would read as 2 statements");
        assertThat(objects(h2)).isEmpty();
    }

    @Test
    void checksEveryStatementOfATransactionBeforeRunningAny() throws SQLException {
        statements.execute(postgres, "CREATE VIEW " + qualified(postgres, "target_view") + " AS SELECT 1 AS a");

        assertThatThrownBy(() -> statements.executeInOneTransaction(postgres, List.of(
                "DROP VIEW " + qualified(postgres, "target_view"), createViewAndMarker(postgres, "SELECT 2 AS b"))))
                .isInstanceOf(SQLException.class).hasMessageContaining("pgjdbc would send as 2 statements");
        assertThat(objects(postgres)).containsExactly("target_view");
        assertThat(columns(postgres, "target_view")).containsExactly("a");
    }

    @Test
    void dropAndCreateOnPostgresLeavesTheOldViewWhenTheCreateFails() throws SQLException {
        statements.execute(postgres, "CREATE VIEW " + qualified(postgres, "target_view") + " AS SELECT 1 AS a");
        List<String> failing = postgres.dialect().dropAndCreateView(postgres.schema(), "target_view", "SELECT no_such_column");

        assertThatThrownBy(() -> statements.executeInOneTransaction(postgres, failing)).isInstanceOf(SQLException.class);
        assertThat(columns(postgres, "target_view")).containsExactly("a");

        statements.executeInOneTransaction(postgres, postgres.dialect().dropAndCreateView(postgres.schema(), "target_view", "SELECT 2 AS b"));
        assertThat(columns(postgres, "target_view")).containsExactly("b");
    }

    /** One Statement, not a PreparedStatement: the ? of PostgreSQL's jsonb operators is no parameter. */
    @Test
    void runsOrdinaryViewDdlOnEveryTarget() throws SQLException {
        statements.execute(postgres, postgres.dialect().createOrReplaceView(postgres.schema(), "target_view",
                "SELECT '{\"a\": 1}'::jsonb ? 'a' AS has_a, 'it''s' AS quoted"));
        statements.execute(mariadb, mariadb.dialect().createOrReplaceView(mariadb.schema(), "target_view", "SELECT 'it''s' AS quoted, 1 AS `a;b`"));
        statements.execute(h2, h2.dialect().createOrReplaceView(h2.schema(), "target_view", "SELECT 'it''s' AS quoted, 1 AS \"a;b\""));

        assertThat(columns(postgres, "target_view")).containsExactly("has_a", "quoted");
        assertThat(columns(mariadb, "target_view")).containsExactly("quoted", "a;b");
        assertThat(columns(h2, "target_view")).containsExactly("QUOTED", "a;b");
    }

    /** Should a connection in the simple protocol reach the check (Targets refuses such a URL, see below). */
    @Test
    void postgresRefusesAConnectionOnTheSimpleProtocol() throws SQLException {
        try (Connection simple = DriverManager.getConnection(POSTGRES_URL + "?preferQueryMode=simple", "postgres", "")) {
            assertThatThrownBy(() -> postgres.dialect().ensureRunsAsOneStatement(simple, createViewAndMarker(postgres, "SELECT 1 AS a")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("preferQueryMode=simple");
        }
    }

    /** Should a connection with multi-queries reach the check (Targets refuses such a URL, see below). */
    @Test
    void mariaDbRefusesAConnectionWithMultiQueries() throws SQLException {
        try (Connection multi = DriverManager.getConnection(MARIADB_URL + "?allowMultiQueries=true", "root", "")) {
            assertThatThrownBy(() -> mariadb.dialect().ensureRunsAsOneStatement(multi, createViewAndMarker(mariadb, "SELECT 1 AS a")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("allowMultiQueries");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            POSTGRES_URL + "?preferQueryMode=simple",
            POSTGRES_URL + "?ssl=false&preferQueryMode=extendedForPrepared",
            MARIADB_URL + "?allowMultiQueries=true",
            MARIADB_URL + "?allowmultiqueries=1",
            MARIADB_URL + "?useSsl=false&allowMultiQueries"})
    void targetsDoNotStartWithAUrlThatRunsSeveralStatements(String url) {
        ViewSyncProperties properties = new ViewSyncProperties();
        properties.getTargets().put("unsafe", target(url, "root", "views"));

        assertThatThrownBy(() -> new Targets(properties, new DefaultCamelContext()))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("Target 'unsafe': its URL is refused: ")
                .hasMessageNotContaining("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {POSTGRES_URL + "?preferQueryMode=extendedCacheEverything", MARIADB_URL + "?allowMultiQueries=false"})
    void targetsStartWithAUrlThatRunsOneStatement(String url) {
        ViewSyncProperties properties = new ViewSyncProperties();
        properties.getTargets().put("safe", target(url, "root", "views"));

        new Targets(properties, new DefaultCamelContext()).destroy();
    }

    private static ViewSyncProperties.Target target(String url, String user, String schema) {
        ViewSyncProperties.Target target = new ViewSyncProperties.Target();
        target.setUrl(url);
        target.setUsername(user);
        target.setPassword("");
        target.setHandlerTypes(List.of("Probe"));
        target.setSchema(schema);
        return target;
    }

    private static String createViewAndMarker(Target target, String select) {
        return "CREATE VIEW " + qualified(target, "target_view") + " AS " + select + "; CREATE TABLE " + qualified(target, "target_marker") + " (x int)";
    }

    private static String qualified(Target target, String name) {
        return target.dialect().qualified(target.schema(), name);
    }

    /** The target's tables and views in its schema. */
    private static List<String> objects(Target target) {
        return names(target, "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + target.schema() + "' ORDER BY table_name");
    }

    private static List<String> columns(Target target, String table) {
        return names(target, "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + target.schema()
                + "' AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private static List<String> names(Target target, String query) {
        try (Connection connection = targets.dataSource(target).getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }
}
