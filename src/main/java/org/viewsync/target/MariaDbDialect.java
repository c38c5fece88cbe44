package org.viewsync.target;

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
}
