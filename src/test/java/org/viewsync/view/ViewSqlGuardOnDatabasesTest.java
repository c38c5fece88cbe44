package org.viewsync.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the databases themselves make of view SQL that hides a second statement from the SQL parser, or from one
 * another. Each text goes into {@code CREATE VIEW guard_view AS ...} run the way a database runs a text of several
 * statements when it is let: PostgreSQL's simple protocol (the server's own reading, under either
 * standard_conforming_strings), pgjdbc's default (it splits the text itself), MariaDB with multi-queries on (under
 * either backslash setting), H2. The hidden statement creates a marker table: where it exists afterwards, that
 * database read and ran a second statement. The test pins down which databases do, and that the guard refuses every
 * such text; and that the texts the guard accepts create the marker nowhere.
 * <p>
 * Runs in databases of its own: PostgreSQL {@code viewsync_guard} (schema guard_probe), MariaDB {@code viewsync_guard},
 * an in-memory H2.
 */
class ViewSqlGuardOnDatabasesTest {

    private static final String MARKER = "CREATE TABLE guard_marker (x int)";
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/viewsync_guard?currentSchema=guard_probe";
    private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/viewsync_guard?allowMultiQueries=true";
    private static final String H2_URL = "jdbc:h2:mem:guard_probe";

    private static final ViewSqlGuard GUARD = new ViewSqlGuard();
    /** Keeps the in-memory H2 database open between its connections. */
    private static Connection h2Keeper;

    enum Reader {
        POSTGRESQL(POSTGRES + "&preferQueryMode=simple", "postgres", null),
        POSTGRESQL_BACKSLASH_ESCAPES(POSTGRES + "&preferQueryMode=simple", "postgres", "SET standard_conforming_strings = off"),
        PGJDBC(POSTGRES, "postgres", null),
        MARIADB_MULTI_QUERIES(MARIADB, "root", null),
        MARIADB_MULTI_QUERIES_NO_BACKSLASH_ESCAPES(MARIADB, "root", "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')"),
        H2(H2_URL, "sa", null);

        final String url;
        final String user;
        final String setting;

        Reader(String url, String user, String setting) {
            this.url = url;
            this.user = user;
            this.setting = setting;
        }

        /** Whether the text, put into a CREATE VIEW and run here, created the marker table. */
        boolean runsTheHiddenStatement(String viewSql) throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, user, ""); Statement statement = connection.createStatement()) {
                statement.execute("DROP VIEW IF EXISTS guard_view");
                statement.execute("DROP TABLE IF EXISTS guard_marker");
                if (setting != null) {
                    statement.execute(setting);
                }
                try {
                    statement.execute("CREATE VIEW guard_view AS " + viewSql);
                } catch (SQLException refusedOrFailed) {
                    // What matters is whether the marker was made, whatever else failed.
                }
                try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                    while (tables.next()) {
                        if (tables.getString("TABLE_NAME").equalsIgnoreCase("guard_marker")
                                && (this != H2 || "PUBLIC".equals(tables.getString("TABLE_SCHEM")))) {
                            return true;
                        }
                    }
                }
                return false;
            }
        }
    }

    @BeforeAll
    static void createDatabases() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = admin.createStatement();
             ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'viewsync_guard'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE viewsync_guard");
            }
        }
        try (Connection postgres = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/viewsync_guard", "postgres", "");
             Statement statement = postgres.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS guard_probe CASCADE");
            statement.execute("CREATE SCHEMA guard_probe");
        }
        try (Connection maria = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
             Statement statement = maria.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS viewsync_guard");
        }
        h2Keeper = DriverManager.getConnection(H2_URL, "sa", "");
    }

    @AfterAll
    static void close() throws SQLException {
        h2Keeper.close();
        GUARD.destroy();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void hiddenStatementsRunWhereExpectedAndAreRefused(String why, String viewSql, Set<Reader> running) throws SQLException {
        assertThat(readersRunningTheHiddenStatement(viewSql)).as(viewSql).isEqualTo(running);
        assertThat(GUARD.refusal(viewSql)).as(viewSql).isNotNull();
    }

    static Stream<Arguments> hiddenStatementsRunWhereExpectedAndAreRefused() {
        return Stream.of(
                Arguments.of("\\' ends the string unless backslashes escape",
                        "SELECT 'a\\'; " + MARKER + "; --'",
                        EnumSet.of(Reader.POSTGRESQL, Reader.PGJDBC, Reader.MARIADB_MULTI_QUERIES_NO_BACKSLASH_ESCAPES, Reader.H2)),
                Arguments.of("\\' continues the string where backslashes escape",
                        "SELECT 'a\\', '; " + MARKER + "; -- '",
                        EnumSet.of(Reader.POSTGRESQL_BACKSLASH_ESCAPES, Reader.MARIADB_MULTI_QUERIES)),
                Arguments.of("\\\" continues a MariaDB double-quoted string",
                        "SELECT \"a\\\", \"; " + MARKER + "; -- \"",
                        EnumSet.of(Reader.MARIADB_MULTI_QUERIES)),
                Arguments.of("$tag$ quotes in PostgreSQL",
                        "SELECT $t$'$t$ AS a; " + MARKER + "; --'",
                        EnumSet.of(Reader.POSTGRESQL, Reader.POSTGRESQL_BACKSLASH_ESCAPES, Reader.PGJDBC)),
                Arguments.of("$$ quotes nothing in MariaDB",
                        "SELECT 1 AS $$; " + MARKER + "; SELECT $$ AS a",
                        EnumSet.of(Reader.MARIADB_MULTI_QUERIES, Reader.MARIADB_MULTI_QUERIES_NO_BACKSLASH_ESCAPES)),
                Arguments.of("block comments nest in PostgreSQL and H2",
                        "SELECT 1 /* /* */ AS a, '*/; " + MARKER + "; --' AS b",
                        EnumSet.of(Reader.POSTGRESQL, Reader.POSTGRESQL_BACKSLASH_ESCAPES, Reader.PGJDBC, Reader.H2)),
                Arguments.of("/*! ... */ is code in MariaDB",
                        "SELECT 1 /*! , '*/ AS a, ' */ ; " + MARKER + " -- '",
                        EnumSet.of(Reader.MARIADB_MULTI_QUERIES, Reader.MARIADB_MULTI_QUERIES_NO_BACKSLASH_ESCAPES)),
                Arguments.of("--1 is no comment in MariaDB",
                        "SELECT 1 --1; " + MARKER + "\n",
                        EnumSet.of(Reader.MARIADB_MULTI_QUERIES, Reader.MARIADB_MULTI_QUERIES_NO_BACKSLASH_ESCAPES)),
                Arguments.of("# is a comment in MariaDB only",
                        "SELECT 1 # '\n; " + MARKER + "; -- '",
                        EnumSet.of(Reader.MARIADB_MULTI_QUERIES, Reader.MARIADB_MULTI_QUERIES_NO_BACKSLASH_ESCAPES)),
                Arguments.of("\\r ends a line comment in PostgreSQL and H2, not in MariaDB",
                        "SELECT 1 -- c\r; " + MARKER,
                        EnumSet.of(Reader.POSTGRESQL, Reader.POSTGRESQL_BACKSLASH_ESCAPES, Reader.PGJDBC, Reader.H2)),
                Arguments.of("// is a comment in H2 only",
                        "SELECT 1 //'\n; " + MARKER + "; --'",
                        EnumSet.of(Reader.H2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void acceptedTextsRunNoSecondStatement(String why, String viewSql) throws SQLException {
        assertThat(GUARD.refusal(viewSql)).as(viewSql).isNull();
        assertThat(readersRunningTheHiddenStatement(viewSql)).as(viewSql).isEmpty();
    }

    static Stream<Arguments> acceptedTextsRunNoSecondStatement() {
        return Stream.of(
                Arguments.of("a ; inside a double-quoted name", "SELECT 1 AS \"a; " + MARKER + "\""),
                Arguments.of("a ; inside a string", "SELECT 'a; " + MARKER + "' AS a"),
                Arguments.of("a ; in a line comment every database reads as one", "SELECT 1 AS a -- ; " + MARKER),
                Arguments.of("a ; in a block comment every database reads as one", "SELECT 1 AS a /* ; " + MARKER + " */"),
                Arguments.of("a ; in an optimizer hint, a comment to MariaDB", "SELECT /*+ ; " + MARKER + " */ 1 AS a"));
    }

    private static Set<Reader> readersRunningTheHiddenStatement(String viewSql) throws SQLException {
        Set<Reader> running = EnumSet.noneOf(Reader.class);
        for (Reader reader : Reader.values()) {
            if (reader.runsTheHiddenStatement(viewSql)) {
                running.add(reader);
            }
        }
        return running;
    }
}
