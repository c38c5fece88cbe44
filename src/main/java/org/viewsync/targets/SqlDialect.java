package org.viewsync.targets;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between target databases when managing views. Adding SQL Server, Oracle or Impala is one more
 * implementation (usually of {@link StandardSqlDialect}), listed in {@link SqlDialects}.
 */
public interface SqlDialect {

    /** The name used in {@code viewsync.targets.<name>.dialect}. */
    String name();

    /** Whether a JDBC URL points at this kind of database. */
    boolean accepts(String jdbcUrl);

    /** Longest identifier the database keeps without truncating, in bytes. */
    int maxIdentifierBytes();

    /** Quotes one identifier, doubling the quote character inside it. */
    String quote(String identifier);

    String createSchemaIfMissing(String schema);

    String createOrReplaceView(String schema, String view, String select);

    /**
     * The statements that replace a view whose columns changed, run in one transaction, for databases whose
     * {@code CREATE OR REPLACE VIEW} refuses such a change; empty where it never does.
     */
    List<String> dropAndCreateView(String schema, String view, String select);

    /**
     * The SQLState with which {@code CREATE OR REPLACE VIEW} refuses a change of the view's columns; null where it
     * never does. The view routes compare it with the failure's SQLState.
     */
    String getColumnChangeSqlState();

    String dropViewIfExists(String schema, String view);

    /**
     * Throws unless this connection runs the text as exactly one statement: the last line of defence should a
     * second statement get past the view SQL guard. Called before {@link TargetStatements} runs each statement.
     */
    void ensureRunsAsOneStatement(Connection connection, String sql) throws SQLException;

    /** Why a target with this JDBC URL could run one statement text as several, or null; checked at start-up. */
    default String multiStatementUrl(String jdbcUrl) {
        return null;
    }

    default String qualified(String schema, String view) {
        return quote(schema) + "." + quote(view);
    }
}
