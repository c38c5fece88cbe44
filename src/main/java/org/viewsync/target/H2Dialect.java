package org.viewsync.target;

/** H2, for the embedded demo target. */
public class H2Dialect extends StandardSqlDialect {

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
}
