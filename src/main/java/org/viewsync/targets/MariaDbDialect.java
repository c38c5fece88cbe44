package org.viewsync.targets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import org.mariadb.jdbc.Configuration;

/** MariaDB and MySQL: backtick quoting, a schema is a database, DDL commits implicitly. */
public class MariaDbDialect extends StandardSqlDialect {

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public boolean accepts(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:");
    }

    @Override
    public int maxIdentifierBytes() {
        return 64;
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String createSchemaIfMissing(String schema) {
        return "CREATE DATABASE IF NOT EXISTS " + quote(schema);
    }

    /**
     * MariaDB Connector/J sends the text as one COM_QUERY; unless the connection asked for multi-statements
     * (allowMultiQueries), the server refuses a second statement in it as a syntax error and runs none.
     */
    @Override
    public void ensureRunsAsOneStatement(Connection connection, String sql) throws SQLException {
        if (!connection.isWrapperFor(org.mariadb.jdbc.Connection.class)) {
            throw new SQLSyntaxErrorException("Refused to run DDL through a driver other than MariaDB Connector/J,"
                    + " which cannot be asked whether multi-queries are on", "42000");
        }
        if (connection.unwrap(org.mariadb.jdbc.Connection.class).getContext().getConf().allowMultiQueries()) {
            throw new SQLSyntaxErrorException("Refused to run DDL on a connection with allowMultiQueries on,"
                    + " which runs every statement in a text", "42000");
        }
    }

    @Override
    public String multiStatementUrl(String jdbcUrl) {
        // The driver's own reading of its options: any spelling or case of the name, true, 1 or no value at all.
        Configuration configuration;
        try {
            configuration = Configuration.parse(jdbcUrl);
        } catch (SQLException e) {
            return null; // not a URL the driver reads: connecting fails and says so
        }
        return configuration != null && configuration.allowMultiQueries()
                ? "allowMultiQueries lets one statement text run several statements; remove it" : null;
    }
}
