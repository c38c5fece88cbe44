package org.viewsync.immuta;

/**
 * The view SQL endpoint did not answer with SQL: a wrong {@code immuta.paths.view-sql} or {@code immuta.view-sql-field},
 * or an Immuta fault. Never a reason to drop a view: the view task fails and retries.
 */
public class ViewSqlUnavailableException extends RuntimeException {

    public ViewSqlUnavailableException(String message) {
        super(message);
    }
}
