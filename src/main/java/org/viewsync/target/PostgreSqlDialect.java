package org.viewsync.target;

import java.util.Optional;

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
    public Optional<String> dropAndCreateView(String schema, String view, String select) {
        // One Statement.execute with autocommit off: both run in the transaction camel-jdbc commits or rolls back.
        return Optional.of(dropViewIfExists(schema, view) + "; CREATE VIEW " + qualified(schema, view) + " AS " + select);
    }

    @Override
    public String getColumnChangeSqlState() {
        return INVALID_TABLE_DEFINITION;
    }
}
