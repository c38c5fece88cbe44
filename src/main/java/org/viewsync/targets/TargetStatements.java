package org.viewsync.targets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Runs the service's DDL on a target database: each statement on its own, in a form that cannot carry a second one
 * ({@link SqlDialect#ensureRunsAsOneStatement}), so that even view SQL wrongly let through by the guard cannot run
 * another statement. The view routes call it where they create, replace and drop views and create the view schema.
 */
@Component("targetStatements")
public class TargetStatements {

    private final Targets targets;

    public TargetStatements(Targets targets) {
        this.targets = targets;
    }

    /** Runs one statement, which commits by itself. */
    public void execute(Target target, String sql) throws SQLException {
        try (Connection connection = targets.dataSource(target).getConnection()) {
            target.dialect().ensureRunsAsOneStatement(connection, sql);
            run(connection, sql);
        }
    }

    /**
     * Runs the statements one after another in one transaction: on a database with transactional DDL (PostgreSQL)
     * either all take effect or none. Each is checked before any runs.
     */
    public void executeInOneTransaction(Target target, List<String> statements) throws SQLException {
        try (Connection connection = targets.dataSource(target).getConnection()) {
            for (String sql : statements) {
                target.dialect().ensureRunsAsOneStatement(connection, sql);
            }
            connection.setAutoCommit(false);
            try {
                for (String sql : statements) {
                    run(connection, sql);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // The database gets the text as the guard and the dialect read it, not with JDBC escapes ({fn ...}) rewritten.
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        }
    }
}
