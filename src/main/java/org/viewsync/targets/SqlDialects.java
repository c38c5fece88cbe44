package org.viewsync.targets;

import java.util.List;
import java.util.stream.Collectors;

/** The dialects this service speaks, found by name or by JDBC URL. */
public final class SqlDialects {

    private static final List<SqlDialect> ALL = List.of(new PostgreSqlDialect(), new MariaDbDialect(), new H2Dialect());

    private SqlDialects() {
    }

    /** The dialect named, or else the one that accepts the URL. */
    public static SqlDialect resolve(String name, String jdbcUrl) {
        if (name != null && !name.isBlank()) {
            return ALL.stream().filter(d -> d.name().equalsIgnoreCase(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown dialect '" + name + "'; known: " + names()));
        }
        return ALL.stream().filter(d -> d.accepts(jdbcUrl)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "No dialect for JDBC URL " + jdbcUrl.replaceAll("[?;].*", "") + "; set the target's dialect to one of " + names()));
    }

    private static String names() {
        return ALL.stream().map(SqlDialect::name).collect(Collectors.joining(", "));
    }
}
