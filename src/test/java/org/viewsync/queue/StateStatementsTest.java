package org.viewsync.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.viewsync.jdbc.PostgresStatePlanning;
import org.viewsync.support.Notifications;
import org.viewsync.support.TargetDatabase;

/**
 * State-database statements exactly as the routes send them, on the real PostgreSQL and MariaDB state databases
 * (the suite's shared service keeps its state in H2). A claim takes at most a batch even when many rows fall due at
 * the same instant (an admin retrying everything that failed), so no claimed row waits in the hand-off past its
 * claim expiry for another instance to take it too. Scheduling and the record lookup behave as the routes expect.
 * Storing a notification and claiming a batch read a few rows however large the backlog.
 */
class StateStatementsTest {

    private static final int BATCH = 5;
    private static final String SCHEMA = "viewsync_statement_state";
    private static final String HASH = "a".repeat(64);
    /** A backlog such as a burst leaves while Immuta is slow: the intake stores far faster than the workers finish. */
    private static final int BACKLOG = 20_000;
    /** A parameter of the statements' files: {@code :#${variable.name}}, as camel-sql reads it. */
    private static final Pattern NAMED_PARAMETER = Pattern.compile(":#\\$\\{variable\\.([^}]+)}");

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void viewTaskClaimsTakeOneBatchAtATimeWhenDueTimesTie(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            Timestamp due = Timestamp.from(Instant.now().minusSeconds(5));
            for (int dataSource = 1; dataSource <= 12; dataSource++) {
                insertViewTask(connection, dataSource, due);
            }
            insertViewTask(connection, 13, Timestamp.from(Instant.now().plusSeconds(600)));
            String claim = viewTaskClaim(database);

            assertThat(List.of(claim(connection, claim, "a"), claim(connection, claim, "b"), claim(connection, claim, "c"),
                    claim(connection, claim, "d"))).containsExactly(5, 5, 2, 0);
            assertThat(count(connection, "SELECT COUNT(*) FROM view_task WHERE claim IS NULL")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void inboxClaimsTakeOneBatchAtATimeWhenDueTimesTie(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            fillInbox(connection, 7);
            String claim = inboxClaim(database);

            assertThat(List.of(claim(connection, claim, "a"), claim(connection, claim, "b"), claim(connection, claim, "c")))
                    .containsExactly(5, 2, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void schedulingInsertsOneTaskPerViewAndMergesLaterRequests(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            String insert = statement("view-task/insert.sql");
            String merge = statement("view-task/merge.sql");
            Map<String, Object> request = new HashMap<>(Map.of("projectId", 7L, "dataSourceId", 1L, "viewAction", "APPLY",
                    "projectJson", "{\"id\":7}", "dataSourceJson", "{\"id\":1}", "dueAt", Timestamp.from(Instant.now()),
                    "requestedAt", Timestamp.from(Instant.now())));
            // Reconciliation asks without a notification: no inbox id.
            request.put("correlationId", null);

            assertThat(update(connection, insert, request)).isEqualTo(1);
            assertThat(update(connection, insert, request)).isZero();
            request.put("correlationId", "notification-1");
            assertThat(update(connection, merge, request)).isEqualTo(1);

            assertThat(count(connection, "SELECT COUNT(*) FROM view_task")).isEqualTo(1);
            assertThat(count(connection, "SELECT version FROM view_task")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void theRecordLookupAnswersOneRowWithTheViewsRecordAndTheOtherHoldersOfItsName(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            String lookup = statement("managed-view/records-for-name.sql");
            Map<String, Object> view = Map.of("targetName", "main", "targetSchema", "views", "viewName", "clients__customers",
                    "projectId", 7L, "dataSourceId", 1L);

            assertThat(query(connection, lookup, view)).containsExactly(null, null, 0L);

            recordView(connection, 8, 1, "clients__customers");
            assertThat(query(connection, lookup, view)).containsExactly(null, null, 1L);

            recordView(connection, 7, 1, "clients__customers_7_1");
            assertThat(query(connection, lookup, view)).containsExactly("clients__customers_7_1", HASH, 1L);
        }
    }

    // Both statements below run while the inbox holds a backlog its statistics know nothing about (PostgreSQL has
    // not analyzed it since it grew), as during any burst: what they read must not grow with the backlog, or the
    // state database's CPU goes to re-reading it and the intake, which waits for its inserts, stops answering.

    // Each database's own claim (MariaDB's portable form read the whole inbox, 240,183 rows for these six claims).
    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void aClaimReadsAboutOneBatchOfABacklog(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            fillInbox(connection, BACKLOG);
            assertThat(rowsReadBySixClaims(connection, database, "inbox", inboxClaim(database)))
                    .as("inbox rows read by six claims of %d from %d due", BATCH, BACKLOG).isLessThan(200);
        }
    }

    // Due a millisecond apart, as a burst or a reconciliation schedules them, and all at the same instant, as after an
    // admin replays every failed view task (before V10, PostgreSQL read 2,218,295 rows for these six claims of those).
    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void aViewTaskClaimReadsAboutOneBatchOfABacklog(TargetDatabase database) throws Exception {
        for (long spacingMillis : List.of(1L, 0L)) {
            try (Connection connection = migratedStateDatabase(database)) {
                Instant firstDue = Instant.now().minusSeconds(60);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO view_task (project_id, data_source_id,"
                        + " action, version, status, attempts, due_at) VALUES (?, ?, 'APPLY', 1, 'PENDING', 0, ?)")) {
                    for (int task = 1; task <= BACKLOG; task++) {
                        insert.setInt(1, task % 10);
                        insert.setInt(2, task);
                        insert.setTimestamp(3, Timestamp.from(firstDue.plusMillis(task * spacingMillis)));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                // A claim's bound and batch subqueries read the batch, and step over what earlier claims took.
                assertThat(rowsReadBySixClaims(connection, database, "view_task", viewTaskClaim(database)))
                        .as("view task rows read by six claims of %d from %d due %d ms apart", BATCH, BACKLOG, spacingMillis)
                        .isLessThan(1_000);
            }
        }
    }

    /** Claims six batches, each as another instance, and answers the rows of the table the database read for them. */
    private static long rowsReadBySixClaims(Connection connection, TargetDatabase database, String table, String claim) throws SQLException {
        connection.setAutoCommit(false);
        long readBefore = rowsRead(connection, database, table);
        int claimed = 0;
        for (String instance : List.of("a", "b", "c", "d", "e", "f")) {
            claimed += claim(connection, claim, instance);
        }
        long read = rowsRead(connection, database, table) - readBefore;
        connection.commit();
        assertThat(claimed).isEqualTo(6 * BATCH);
        return read;
    }

    @ParameterizedTest
    @EnumSource(TargetDatabase.class)
    void storingANotificationReadsAFewInboxRowsHoweverManyWait(TargetDatabase database) throws Exception {
        try (Connection connection = migratedStateDatabase(database)) {
            fillInbox(connection, BACKLOG);
            connection.setAutoCommit(false);
            long readBefore = rowsRead(connection, database, "inbox");

            // Often enough for PostgreSQL's driver to switch to a server-side statement, whose generic plan is the
            // one a busy intake runs.
            int stored;
            try (PreparedStatement insert = connection.prepareStatement(InboxWriter.INSERT_UNLESS_WAITING)) {
                stored = storeTenOfWhichFiveWait(insert, 0);
            }
            long read = rowsRead(connection, database, "inbox") - readBefore;
            connection.commit();

            assertThat(stored).as("the five duplicates of a waiting notification are not stored").isEqualTo(5);
            assertThat(read).as("inbox rows read to store ten notifications while %d wait", BACKLOG).isLessThan(50);
        }
    }

    // A pooled connection plans each statement once and keeps the plan for its life, however the inbox grows after:
    // a plan made while the inbox held a few hundred rows, whatever it cost then, must still read a few rows once a
    // backlog waits. PostgreSQL only: it is the database that caches plans.
    @ParameterizedTest
    @EnumSource(value = TargetDatabase.class, names = "POSTGRES")
    void storingANotificationReadsAFewInboxRowsWhateverTheInboxHeldWhenItWasPlanned(TargetDatabase database) throws Exception {
        Map<Integer, Long> read = inboxRowsReadByPlansMadeEarly(database, (connection, run) -> {
            try (PreparedStatement insert = connection.prepareStatement(InboxWriter.INSERT_UNLESS_WAITING)) {
                storeTenOfWhichFiveWait(insert, run);
            }
        });

        assertThat(read).as("inbox rows read to store ten notifications while %d wait, by the size of the inbox when"
                + " the connection planned the store", BACKLOG).allSatisfy((plannedAt, rows) -> assertThat(rows).isLessThan(50));
    }

    @ParameterizedTest
    @EnumSource(value = TargetDatabase.class, names = "POSTGRES")
    void aClaimReadsAboutOneBatchWhateverTheInboxHeldWhenItWasPlanned(TargetDatabase database) throws Exception {
        String claim = inboxClaim(database);
        Map<Integer, Long> read = inboxRowsReadByPlansMadeEarly(database,
                (connection, run) -> claim(connection, claim, "run-" + run));

        // Each claim also steps over the rows the earlier ones claimed (up to 100 here), but never through the backlog.
        assertThat(read).as("inbox rows read by a claim of %d while %d wait, by the size of the inbox when the"
                + " connection planned the claim", BATCH, BACKLOG).allSatisfy((plannedAt, rows) -> assertThat(rows).isLessThan(1_000));
    }

    private interface Statements {
        void run(Connection connection, int run) throws SQLException;
    }

    /**
     * Runs the statements on connections that each planned them (a generic plan, as a pooled connection runs) at one
     * of ten inbox sizes from empty to 2,000 rows, then again on each once {@link #BACKLOG} wait: the inbox rows read
     * by that second run, by the size each connection planned at.
     */
    private static Map<Integer, Long> inboxRowsReadByPlansMadeEarly(TargetDatabase database, Statements statements) throws Exception {
        Map<Integer, Connection> plannedAt = new LinkedHashMap<>();
        try (Connection filler = migratedStateDatabase(database)) {
            int waiting = 0;
            for (int size : List.of(0, 50, 100, 200, 300, 400, 600, 800, 1_000, 2_000)) {
                fillInbox(filler, waiting, size);
                waiting = size;
                Connection connection = stateConnection(database, "&prepareThreshold=1");
                plannedAt.put(size, connection);
                try (Statement settings = connection.createStatement()) {
                    settings.execute("SET plan_cache_mode = force_generic_plan");
                }
                statements.run(connection, plannedAt.size());
            }
            fillInbox(filler, waiting, BACKLOG);

            Map<Integer, Long> read = new LinkedHashMap<>();
            int run = plannedAt.size();
            for (Map.Entry<Integer, Connection> planned : plannedAt.entrySet()) {
                Connection connection = planned.getValue();
                connection.setAutoCommit(false);
                long readBefore = rowsRead(connection, database, "inbox");
                statements.run(connection, ++run);
                read.put(planned.getKey(), rowsRead(connection, database, "inbox") - readBefore);
                connection.rollback();
            }
            return read;
        } finally {
            for (Connection connection : plannedAt.values()) {
                connection.close();
            }
        }
    }

    /**
     * Ten deliveries bound as the intake's writer binds them: five new ones (new to every other run) and five copies
     * of a notification that waits.
     */
    private static int storeTenOfWhichFiveWait(PreparedStatement insert, int run) throws SQLException {
        int stored = 0;
        for (int delivery = 1; delivery <= 10; delivery++) {
            // Negative: the notifications fillInbox stores count from 1.
            String hash = delivery % 2 == 0 ? bodyHash(7) : bodyHash(-(run * 100 + delivery));
            Timestamp now = Timestamp.from(Instant.now());
            insert.setString(1, "run-" + run + "-" + delivery);
            insert.setTimestamp(2, now);
            insert.setString(3, "policyUpdated");
            insert.setString(4, "{}");
            insert.setString(5, hash);
            insert.setTimestamp(6, now);
            insert.setString(7, hash);
            stored += insert.executeUpdate();
        }
        return stored;
    }

    private static int claim(Connection connection, String sql, String claim) throws SQLException {
        return update(connection, sql, Map.of("claim", claim, "claimedUntil", Timestamp.from(Instant.now().plusSeconds(120)),
                "now", Timestamp.from(Instant.now()), "batchSize", BATCH));
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

    /** Binds the variables the statement names by position, as camel-sql does (a missing variable binds null). */
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

    private static String inboxClaim(TargetDatabase database) throws IOException {
        return claimFor(database, "inbox");
    }

    private static String viewTaskClaim(TargetDatabase database) throws IOException {
        return claimFor(database, "view-task");
    }

    /** The claim the queues' route sends to this database (viewsync.state.claims): MariaDB's own, else the portable one. */
    private static String claimFor(TargetDatabase database, String queue) throws IOException {
        return statement("claims/" + (database == TargetDatabase.MARIADB ? "mariadb" : "portable") + "/" + queue + ".sql");
    }

    /** A statement of src/main/resources/sql as the routes run it: without its comment lines (camel-sql drops them). */
    private static String statement(String file) throws IOException {
        return Files.readAllLines(Path.of("src/main/resources/sql", file)).stream().filter(line -> !line.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
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

    /**
     * {@code count} notifications, all due at the same instant, stored since PostgreSQL last looked at the table: it
     * has no statistics of them.
     */
    private static void fillInbox(Connection connection, int count) throws SQLException {
        fillInbox(connection, 0, count);
    }

    /** Notifications {@code from + 1} to {@code to}, as {@link #fillInbox(Connection, int)} stores them. */
    private static void fillInbox(Connection connection, int from, int to) throws SQLException {
        Timestamp due = Timestamp.from(Instant.now().minusSeconds(5));
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox (id, received_at, notification_type, body,"
                + " body_hash, status, attempts, next_attempt_at) VALUES (?, ?, 'policyUpdated', ?, ?, 'PENDING', 0, ?)")) {
            for (int id = from + 1; id <= to; id++) {
                insert.setString(1, "waiting-" + id);
                insert.setTimestamp(2, due);
                insert.setString(3, Notifications.dataSourcePolicyUpdated(id));
                insert.setString(4, bodyHash(id));
                insert.setTimestamp(5, due);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static String bodyHash(int notification) {
        return String.format("%064x", notification);
    }

    /**
     * Rows of the table read so far, by the database's own count: PostgreSQL's statistics of this transaction,
     * MariaDB's handler reads of this session (of every table).
     */
    private static long rowsRead(Connection connection, TargetDatabase database, String table) throws SQLException {
        if (database == TargetDatabase.POSTGRES) {
            return count(connection, "SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables"
                    + " WHERE relid = '" + table + "'::regclass");
        }
        return count(connection, "SELECT SUM(VARIABLE_VALUE) FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME IN"
                + " ('HANDLER_READ_FIRST', 'HANDLER_READ_KEY', 'HANDLER_READ_NEXT', 'HANDLER_READ_PREV', 'HANDLER_READ_RND_NEXT')");
    }

    /** A state database of its own, migrated by the service's Flyway scripts. */
    private static Connection migratedStateDatabase(TargetDatabase database) throws SQLException {
        database.createIfMissing();
        database.execute(database == TargetDatabase.POSTGRES ? "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE" : "DROP DATABASE IF EXISTS " + SCHEMA);
        String vendorMigrations = "classpath:db/vendor/" + (database == TargetDatabase.POSTGRES ? "postgresql" : "mariadb");
        Flyway.configure().dataSource(database.url, database.user, "").schemas(SCHEMA)
                .locations("classpath:db/migration", vendorMigrations).load().migrate();
        return stateConnection(database, "");
    }

    /** A connection to the state database set up as the service's pool sets up each of its own. */
    private static Connection stateConnection(TargetDatabase database, String postgresOptions) throws SQLException {
        if (database == TargetDatabase.POSTGRES) {
            Connection connection = DriverManager.getConnection(database.url + "?currentSchema=" + SCHEMA + postgresOptions, database.user, "");
            try (Statement settings = connection.createStatement()) {
                settings.execute(PostgresStatePlanning.CONNECTION_INIT_SQL);
            }
            return connection;
        }
        return DriverManager.getConnection(database.url + SCHEMA, database.user, "");
    }
}
