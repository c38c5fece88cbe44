package org.viewsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.viewsync.support.TargetDatabase;

/** Against the real PostgreSQL: the placeholders counted from the text are the ones the driver counts. */
class PlaceholderCountingDataSourceTest {

    private static final List<String> STATEMENTS = List.of(
            "SELECT 1",
            "SELECT viewname AS \"viewName\" FROM pg_views WHERE schemaname = ? AND viewname = ?",
            "SELECT 'what?' AS \"why?\", ? AS answer",
            "SELECT 'it''s ?' || ? AS quoted",
            "SELECT ? -- a comment? yes\n + 1",
            "SELECT /* a ? in a comment */ ?::int + ?::int",
            "SELECT $$ a ? in dollar quotes $$, ?::text",
            "SELECT '{\"a\":1}'::jsonb ?? 'a', ?::text");

    private final PGSimpleDataSource postgres = postgres();

    @Test
    void countsWhatThePostgreSqlDriverCounts() throws SQLException {
        PlaceholderCountingDataSource counting = new PlaceholderCountingDataSource(postgres);
        try (Connection plain = postgres.getConnection(); Connection counted = counting.getConnection()) {
            for (String sql : STATEMENTS) {
                try (PreparedStatement driver = plain.prepareStatement(sql); PreparedStatement ours = counted.prepareStatement(sql)) {
                    assertThat(ours.getParameterMetaData().getParameterCount()).as(sql)
                            .isEqualTo(driver.getParameterMetaData().getParameterCount());
                }
            }
        }
    }

    @Test
    void countsWithoutAskingTheServer() throws SQLException {
        String sql = "SELECT name FROM no_such_table WHERE id = ? AND name = ?";
        try (Connection plain = postgres.getConnection(); PreparedStatement driver = plain.prepareStatement(sql)) {
            assertThatThrownBy(driver::getParameterMetaData).hasMessageContaining("no_such_table");
        }
        try (Connection counted = new PlaceholderCountingDataSource(postgres).getConnection();
             PreparedStatement ours = counted.prepareStatement(sql)) {
            assertThat(ours.getParameterMetaData().getParameterCount()).isEqualTo(2);
        }
    }

    @Test
    void statementsRunAsUsual() throws SQLException {
        try (Connection counted = new PlaceholderCountingDataSource(postgres).getConnection();
             PreparedStatement statement = counted.prepareStatement("SELECT ?::int * ?::int AS product")) {
            statement.setInt(1, 6);
            statement.setInt(2, 7);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt("product")).isEqualTo(42);
            }
            assertThat(counted.unwrap(org.postgresql.PGConnection.class)).isNotNull();
        }
    }

    @Test
    void readsQuotesCommentsAndWhatItLeavesToTheDriver() {
        assertThat(PlaceholderCountingDataSource.placeholders("UPDATE t SET a = ?, b = 'x?' WHERE \"c?\" = ? -- ?")).isEqualTo(2);
        assertThat(PlaceholderCountingDataSource.placeholders("SELECT 'unterminated ?")).isEqualTo(-1);
        assertThat(PlaceholderCountingDataSource.placeholders("SELECT $1")).isEqualTo(-1);
    }

    private static PGSimpleDataSource postgres() {
        TargetDatabase.POSTGRES.createIfMissing();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TargetDatabase.POSTGRES.url);
        dataSource.setUser(TargetDatabase.POSTGRES.user);
        return dataSource;
    }
}
