package org.viewsync.queue;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.springframework.stereotype.Component;

/** The failure of an attempt as the queues record it (last_error) and list it at GET /admin/failed. */
@Component("failureText")
public class FailureText {

    /** The column's width. */
    static final int MAX_LENGTH = 2000;

    /** The exchange's failure, caught or not: its type and message (Immuta's or the database's own words), cut to fit. */
    public String of(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        String text = failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
    }
}
