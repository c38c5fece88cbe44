package org.viewsync.view;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import org.postgresql.core.Parser;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.viewsync.targets.SqlReading;

/**
 * Checks the SQL Immuta returns for a view before it goes into any DDL: it must parse as exactly one query (a SELECT,
 * a set operation of SELECTs, or WITH ... SELECT whose parts are queries too), with no INTO. Anything else (several
 * statements, DDL, DML, a data-modifying WITH, a second statement hidden behind a comment, an empty body) is refused.
 * <p>
 * The parser reads SQL its own way, and each database its own: a semicolon in what the parser takes for a string or
 * a comment can end a statement in MariaDB ({@code 'a\', '; ...'}) or in PostgreSQL ({@code $t$'$t$; ...}). So
 * before parsing, the text is read as every supported database reads it, under each setting that changes how it reads
 * strings ({@link SqlReading}), and refused unless each finds one statement, with nothing after a closing semicolon,
 * nothing left open and no MariaDB executable comment; and unless the PostgreSQL driver, which splits statements on
 * its own reading, would send it as one statement.
 */
@Component
public class ViewSqlGuard implements DisposableBean {

    /**
     * The parser gives up on SQL that takes it too long (a hostile nesting) by parsing on another thread. Without an
     * executor of its own it starts and stops a thread per parse, which cost more than the parse itself under load.
     */
    private final ExecutorService parsers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "view-sql-parser");
        thread.setDaemon(true);
        return thread;
    });

    /** Why the SQL must not become a view, or null when it is one query. */
    public String refusal(String sql) {
        if (sql == null || sql.isBlank()) {
            return "the view SQL is empty";
        }
        String misreading = misreading(sql);
        if (misreading != null) {
            return misreading;
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql, parsers, null);
        } catch (JSQLParserException e) {
            return "the view SQL does not parse as SQL";
        }
        List<Statement> parsed = statements.stream().toList();
        if (parsed.size() != 1) {
            return "the view SQL holds " + parsed.size() + " statements, not one query";
        }
        if (!(parsed.get(0) instanceof Select select)) {
            return "the view SQL is a " + parsed.get(0).getClass().getSimpleName() + " statement, not a query";
        }
        return refusalOf(select);
    }

    /** Why some supported database or driver could read the text as more than one statement, or null. */
    private static String misreading(String sql) {
        if (sql.indexOf('\0') >= 0) {
            // No database reads such text as written: PostgreSQL's protocol cannot carry a NUL, MariaDB stops at it.
            return "the view SQL holds a NUL character";
        }
        List<SqlReading.Read> reads = Stream.of(SqlReading.values()).map(reading -> reading.read(sql)).toList();
        // A second statement first: that is what a misreading hides. A reading that stops at a problem counts up to it.
        SqlReading.Read most = reads.stream().max(Comparator.comparingInt(SqlReading.Read::statements)).orElseThrow();
        if (most.statements() > 1) {
            boolean allAlike = reads.stream().allMatch(read -> read.statements() == most.statements());
            return "the view SQL holds " + most.statements() + " statements, not one query" + (allAlike ? "" : ", as " + most.by() + " reads it");
        }
        for (SqlReading.Read read : reads) {
            if (read.problem() != null) {
                return "the view SQL has " + read.problem() + " as " + read.by() + " reads it";
            }
            if (read.goesOnAfterSemicolon()) {
                return "the view SQL goes on after its semicolon" + (read.by() == reads.get(0).by() ? "" : " as " + read.by() + " reads it");
            }
        }
        for (boolean standardConformingStrings : new boolean[] {true, false}) {
            int sent = statementsPgjdbcSends(sql, standardConformingStrings);
            if (sent > 1) {
                return "the PostgreSQL driver would send the view SQL as " + sent + " statements";
            }
        }
        return null;
    }

    /**
     * pgjdbc splits a statement text at the semicolons its own lexer finds and sends each part as a statement of its
     * own; that lexer differs from the server's in places (it closes a comment at {@code /*}{@code /}).
     */
    private static int statementsPgjdbcSends(String sql, boolean standardConformingStrings) {
        try {
            return Parser.parseJdbcSql(sql, standardConformingStrings, false, true, false, false).size();
        } catch (SQLException e) {
            // Thrown only for RETURNING columns, which are not asked for here.
            throw new IllegalStateException(e);
        }
    }

    private static String refusalOf(Select select) {
        if (select.getWithItemsList() != null) {
            for (WithItem<?> with : select.getWithItemsList()) {
                if (!(with.getParenthesedStatement() instanceof Select part)) {
                    return "the view SQL's WITH clause modifies data";
                }
                String refusal = refusalOf(part);
                if (refusal != null) {
                    return refusal;
                }
            }
        }
        if (select instanceof PlainSelect plain && plain.getIntoTables() != null) {
            return "the view SQL selects INTO a table";
        }
        if (select instanceof SetOperationList operations) {
            for (Select part : operations.getSelects()) {
                String refusal = refusalOf(part);
                if (refusal != null) {
                    return refusal;
                }
            }
        }
        if (select instanceof ParenthesedSelect parenthesed) {
            return refusalOf(parenthesed.getSelect());
        }
        return null;
    }

    @Override
    public void destroy() {
        parsers.shutdownNow();
    }
}
