package org.viewsync.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.viewsync.support.TargetDatabase;

/**
 * State-database statements exactly as the routes send them, on the real PostgreSQL and MariaDB state databases
 * (the suite's shared service keeps its state in H2). A claim takes at most a batch even when many rows fall due at
 * the same instant (an admin retrying everything that failed), so no claimed row waits in the hand-off past its
 * claim expiry for another instance to take it too. Scheduling and the record lookup behave as the routes expect.
 */
class StateStatementsTest {

    private static final int BATCH = 5;
    private static final String SCHEMA = "viewsync_statement_state";
    private static final String HASH = "a".repeat(64);
    private static final Pattern NAMED_PARAMETER = Pattern.compile(":\\?(\\w+)");

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void viewTaskClaimsTakeOneBatchAtATimeWhenDueTimesTie(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            Timestamp due = Timestamp.from(Instant.now().minusSeconds(5));
            for (int dataSource = 1; dataSource <= 12; dataSource++) {
                insertViewTask(connection, dataSource, due);
            }
            insertViewTask(connection, 13, Timestamp.from(Instant.now().plusSeconds(600)));
            String claim = routeStatement("routes/view-tasks.camel.yaml", "UPDATE view_task SET claim");

            assertThat(List.of(claim(connection, claim, "a"), claim(connection, claim, "b"), claim(connection, claim, "c"),
                    claim(connection, claim, "d"))).containsExactly(5, 5, 2, 0);
            assertThat(count(connection, "SELECT COUNT(*) FROM view_task WHERE claim IS NULL")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void inboxClaimsTakeOneBatchAtATimeWhenDueTimesTie(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            Timestamp due = Timestamp.from(Instant.now().minusSeconds(5));
            for (int id = 1; id <= 7; id++) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox (id, received_at, body, body_hash,"
                        + " status, attempts, next_attempt_at) VALUES (?, ?, '{}', 'hash', 'PENDING', 0, ?)")) {
                    insert.setString(1, "notification-" + id);
                    insert.setTimestamp(2, due);
                    insert.setTimestamp(3, due);
                    insert.executeUpdate();
                }
            }
            String claim = routeStatement("routes/inbox.camel.yaml", "UPDATE inbox SET claim");

            assertThat(List.of(claim(connection, claim, "a"), claim(connection, claim, "b"), claim(connection, claim, "c")))
                    .containsExactly(5, 2, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void schedulingInsertsOneTaskPerViewAndMergesLaterRequests(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            String insert = routeStatement("routes/view-tasks.camel.yaml", "INSERT INTO view_task");
            String merge = routeStatement("routes/view-tasks.camel.yaml", "UPDATE view_task SET action");
            Map<String, Object> request = new HashMap<>(Map.of("projectId", 7L, "dataSourceId", 1L, "action", "APPLY",
                    "project", "{\"id\":7}", "dataSource", "{\"id\":1}", "dueAt", Timestamp.from(Instant.now()),
                    "requestedAt", Timestamp.from(Instant.now())));
            // Reconciliation asks without a notification: no inbox id.
            request.put("requestedBy", null);

            assertThat(update(connection, insert, request)).isEqualTo(1);
            assertThat(update(connection, insert, request)).isZero();
            request.put("requestedBy", "notification-1");
            assertThat(update(connection, merge, request)).isEqualTo(1);

            assertThat(count(connection, "SELECT COUNT(*) FROM view_task")).isEqualTo(1);
            assertThat(count(connection, "SELECT version FROM view_task")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void theRecordLookupAnswersOneRowWithTheViewsRecordAndTheOtherHoldersOfItsName(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            String lookup = routeStatement("routes/view-apply.camel.yaml", "SELECT own.view_name");
            Map<String, Object> view = Map.of("targetName", "main", "schemaName", "views", "viewName", "clients__customers",
                    "projectId", 7L, "dataSourceId", 1L);

            assertThat(query(connection, lookup, view)).containsExactly(null, null, 0L);

            recordView(connection, 8, 1, "clients__customers");
            assertThat(query(connection, lookup, view)).containsExactly(null, null, 1L);

            recordView(connection, 7, 1, "clients__customers_7_1");
            assertThat(query(connection, lookup, view)).containsExactly("clients__customers_7_1", HASH, 1L);
        }
    }

    private static int claim(Connection connection, String sql, String claim) throws SQLException {
        return update(connection, sql, Map.of("claim", claim, "claimedUntil", Timestamp.from(Instant.now().plusSeconds(120)),
                "now", Timestamp.from(Instant.now())));
    }

    private static int update(Connection connection, String sql, Map<String, Object> values) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, values)) {
            return statement.executeUpdate();
        }
    }

    /** The first row's columns, as the routes read it (outputType=SelectOne). */
    private static List<Object> query(Connection connection, String sql, Map<String, Object> values) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, values); ResultSet result = statement.executeQuery()) {
            assertThat(result.next()).isTrue();
            List<Object> row = new ArrayList<>();
            for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                Object value = result.getObject(column);
                row.add(value instanceof Number number ? (Object) number.longValue() : value);
            }
            assertThat(result.next()).as("one row").isFalse();
            return row;
        }
    }

    /** Binds named parameters by position, as camel-jdbc does with useHeadersAsParameters (a missing name binds null). */
    private static PreparedStatement prepare(Connection connection, String sql, Map<String, Object> values) throws SQLException {
        List<String> names = new ArrayList<>();
        Matcher parameter = NAMED_PARAMETER.matcher(sql);
        while (parameter.find()) {
            names.add(parameter.group(1));
        }
        PreparedStatement statement = connection.prepareStatement(NAMED_PARAMETER.matcher(sql).replaceAll("?"));
        for (int i = 0; i < names.size(); i++) {
            statement.setObject(i + 1, values.get(names.get(i)));
        }
        return statement;
    }

    private static void recordView(Connection connection, int project, int dataSource, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO managed_view (target_name, project_id,"
                + " data_source_id, schema_name, view_name, project_name, data_source_name, view_sql, sql_hash, applied_at)"
                + " VALUES ('main', ?, ?, 'views', ?, 'p', 'd', 'SELECT 1', ?, ?)")) {
            insert.setInt(1, project);
            insert.setInt(2, dataSource);
            insert.setString(3, name);
            insert.setString(4, HASH);
            insert.setTimestamp(5, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }

    /** The SQL of the route file that starts so, with the batch size filled in as Camel fills in the placeholder. */
    private static String routeStatement(String file, String start) throws IOException {
        JsonNode routes = new ObjectMapper(new YAMLFactory()).readTree(Path.of(file).toFile());
        return textStartingWith(routes, start).orElseThrow(() -> new AssertionError(file + " has no statement starting " + start))
                .replace("{{viewsync.queue.batch-size}}", String.valueOf(BATCH));
    }

    private static Optional<String> textStartingWith(JsonNode node, String start) {
        if (node.isTextual()) {
            return node.asText().startsWith(start) ? Optional.of(node.asText()) : Optional.empty();
        }
        for (JsonNode child : node) {
            Optional<String> found = textStartingWith(child, start);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static void insertViewTask(Connection connection, int dataSource, Timestamp due) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO view_task (project_id, data_source_id, action,"
                + " version, status, attempts, due_at) VALUES (1, ?, 'APPLY', 1, 'PENDING', 0, ?)")) {
            insert.setInt(1, dataSource);
            insert.setTimestamp(2, due);
            insert.executeUpdate();
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** A state database of its own, migrated by the service's Flyway scripts. */
    private static Connection migratedStateDatabase(TargetDatabase database) throws SQLException {
        database.createIfMissing();
        database.execute(database == TargetDatabase.POSTGRES ? "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE" : "DROP DATABASE IF EXISTS " + SCHEMA);
        String vendorMigrations = "classpath:db/vendor/" + (database == TargetDatabase.POSTGRES ? "postgresql" : "mariadb");
        Flyway.configure().dataSource(database.url, database.user, "").schemas(SCHEMA)
                .locations("classpath:db/migration", vendorMigrations).load().migrate();
        String url = database == TargetDatabase.POSTGRES ? database.url + "?currentSchema=" + SCHEMA : database.url + SCHEMA;
        return DriverManager.getConnection(url, database.user, "");
    }
}
