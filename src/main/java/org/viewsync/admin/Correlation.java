package org.viewsync.admin;

import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The correlation id on every log line of one piece of work: a notification's inbox id, carried on to the view tasks
 * it asks for. Work runs synchronously on its worker thread (direct routes, enrich, split, HTTP calls), so the id
 * set at the start holds until the next piece of work on that thread sets its own.
 */
@Component
public class Correlation {

    public static final String MDC_KEY = "correlationId";

    public void begin(String correlationId) {
        if (correlationId == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, correlationId);
        }
    }
}
