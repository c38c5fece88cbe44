package org.viewsync.queue;

import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Makes each column of a row read from the state database a variable of the exchange, named as the column. A route
 * then reads {@code ${variable.projectId}}: a map key in an expression ({@code ${variable.row[projectId]}}) is
 * evaluated through the bean language, which copies the whole exchange on every evaluation.
 */
@Component("rowVariables")
public class RowVariables {

    /** A column that is null removes the variable of its name, so no value of an earlier row or target lingers. */
    public void expose(Map<String, Object> row, Exchange exchange) {
        row.forEach((column, value) -> {
            if (value == null) {
                exchange.removeVariable(column);
            } else {
                exchange.setVariable(column, value);
            }
        });
    }
}
