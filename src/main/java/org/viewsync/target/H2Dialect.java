package org.viewsync.target;

import java.util.Optional;

/** H2, for the embedded demo target: CREATE OR REPLACE VIEW takes any change. */
public class H2Dialect implements SqlDialect {

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public boolean accepts(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    @Override
    public int maxIdentifierBytes() {
        return 256;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String createSchemaIfMissing(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
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
