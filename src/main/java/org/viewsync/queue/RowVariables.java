package org.viewsync.queue;

import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Makes each entry of a row (a row read from the state database, a serving target's variables), or named fields of an
 * object of Immuta's, variables of the exchange. A route then reads {@code ${variable.projectId}}: a map key in an
 * expression ({@code ${variable.row[projectId]}}) is evaluated through the bean language, which copies the whole
 * exchange on every evaluation.
 */
@Component("rowVariables")
public class RowVariables {

    /** A column that is null removes the variable of its name, so no value of an earlier row or target lingers. */
    public void expose(Map<String, Object> row, Exchange exchange) {
        row.forEach((column, value) -> set(exchange, column, value));
    }

    /**
     * Each of the comma-separated fields of the object as a variable named with the prefix: field sqlTableName of
     * prefix dataSource becomes dataSourceSqlTableName. A field the object lacks, or an object that is null, removes
     * the variable.
     */
    public void exposeFields(Map<String, Object> object, String prefix, String fields, Exchange exchange) {
        for (String field : fields.split(",")) {
            String name = field.strip();
            String variable = prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            set(exchange, variable, object == null ? null : object.get(name));
        }
    }

    private static void set(Exchange exchange, String name, Object value) {
        if (value == null) {
            exchange.removeVariable(name);
        } else {
            exchange.setVariable(name, value);
        }
    }
}
