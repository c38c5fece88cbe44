package org.viewsync.targets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Query;
import org.postgresql.jdbc.PreferQueryMode;

/** PostgreSQL: transactional DDL; CREATE OR REPLACE VIEW cannot drop, rename or retype columns. */
public class PostgreSqlDialect extends StandardSqlDialect {

    /** invalid_table_definition: "cannot drop columns from view", "cannot change name of view column ...". */
    private static final String INVALID_TABLE_DEFINITION = "42P16";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean accepts(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public int maxIdentifierBytes() {
        return 63;
    }

    @Override
    public List<String> dropAndCreateView(String schema, String view, String select) {
        return List.of(dropViewIfExists(schema, view), "CREATE VIEW " + qualified(schema, view) + " AS " + select);
    }

    @Override
    public String getColumnChangeSqlState() {
        return INVALID_TABLE_DEFINITION;
    }

    /**
     * pgjdbc splits a text at the semicolons its lexer finds and sends each part as a statement of its own, so it is
     * asked how many it would send. One goes by the extended protocol, whose Parse message takes one statement only
     * (the server answers "cannot insert multiple commands into a prepared statement"), so a second statement the
     * driver's lexer misses is refused by the server. The simple protocol would run them all.
     */
    @Override
    public void ensureRunsAsOneStatement(Connection connection, String sql) throws SQLException {
        BaseConnection pgjdbc = connection.unwrap(BaseConnection.class);
        if (pgjdbc.getPreferQueryMode().compareTo(PreferQueryMode.EXTENDED) < 0) {
            throw new SQLSyntaxErrorException("Refused to run DDL with preferQueryMode=" + pgjdbc.getPreferQueryMode().value()
                    + ": the simple protocol runs every statement in a text", "42601");
        }
        // As PgStatement.execute(sql) makes it with escape processing off (TargetStatements turns it off).
        Query[] statements = pgjdbc.createQuery(sql, false, false).query.getSubqueries();
        if (statements != null && statements.length > 1) {
            throw new SQLSyntaxErrorException("Refused to run DDL that pgjdbc would send as " + statements.length + " statements", "42601");
        }
    }

    @Override
    public String multiStatementUrl(String jdbcUrl) {
        Properties properties = Driver.parseURL(jdbcUrl, new Properties());
        if (properties == null) {
            return null; // not a URL pgjdbc reads: connecting fails and says so
        }
        String mode = PGProperty.PREFER_QUERY_MODE.getOrDefault(properties);
        if (mode != null && PreferQueryMode.of(mode).compareTo(PreferQueryMode.EXTENDED) < 0) {
            return "preferQueryMode=" + mode + " sends statements by PostgreSQL's simple protocol, which runs every"
                    + " statement in a text; leave it at extended (the default)";
        }
        return null;
    }
}
