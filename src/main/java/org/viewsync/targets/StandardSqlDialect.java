package org.viewsync.targets;

import java.util.List;

/**
 * What most databases share: double-quoted identifiers, schemas, {@code CREATE OR REPLACE VIEW} that takes any
 * change, {@code DROP VIEW IF EXISTS}. A dialect overrides only where its database differs.
 */
public abstract class StandardSqlDialect implements SqlDialect {

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
    public List<String> dropAndCreateView(String schema, String view, String select) {
        return List.of();
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
