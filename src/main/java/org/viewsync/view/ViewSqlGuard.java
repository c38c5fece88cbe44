package org.viewsync.view;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Checks the SQL Immuta returns for a view before it goes into any DDL: it must parse as exactly one query (a SELECT,
 * a set operation of SELECTs, or WITH ... SELECT whose parts are queries too), with no INTO. Anything else (several
 * statements, DDL, DML, a data-modifying WITH, a second statement hidden behind a comment, an empty body) is refused.
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
