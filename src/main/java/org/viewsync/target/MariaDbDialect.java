package org.viewsync.target;

import java.util.Optional;

/** MariaDB and MySQL: a schema is a database; DDL commits implicitly, and CREATE OR REPLACE VIEW takes any change. */
public class MariaDbDialect implements SqlDialect {

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

    @Override
    public String createOrReplaceView(String schema, String view, String select) {
        return "CREATE OR REPLACE VIEW " + qualified(schema, view) + " AS " + select;
    }

    @Override
    public Optional<String> dropAndCreateView(String schema, String view, String select) {
        return Optional.empty();
    }

    @Override
    public String getColumnChangeSqlState() {
        return null;
    }

    @Override
    public String dropViewIfExists(String schema, String view) {
        return "DROP VIEW IF EXISTS " + qualified(schema, view);
    }
}
