package org.viewsync.targets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;

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

    /**
     * H2 runs every statement in a text, and neither its driver nor a setting says how many there are; so the text is
     * read as H2 reads it, the reading the view SQL guard also uses.
     */
    @Override
    public void ensureRunsAsOneStatement(Connection connection, String sql) throws SQLException {
        SqlReading.Read read = SqlReading.H2.read(sql);
        if (read.problem() != null || read.statements() > 1) {
            throw new SQLSyntaxErrorException("Refused to run DDL that H2 would read as "
                    + (read.problem() != null ? "text with " + read.problem() : read.statements() + " statements"), "42000");
        }
    }
}
