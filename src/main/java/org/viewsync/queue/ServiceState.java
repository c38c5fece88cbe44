package org.viewsync.queue;

import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

/**
 * Whether the service still runs, for the claim loop: it claims no further batch once Camel is stopping. The route
 * asks this bean rather than {@code ${camelContext.status}}, which Camel evaluates by building a bean expression over
 * the whole CamelContext class each time; and not through the loop's {@code breakOnShutdown}, which stays set after
 * an operator stops and starts the route, so that no batch would be claimed again.
 */
@Component("serviceState")
public class ServiceState {

    private final CamelContext camelContext;

    public ServiceState(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public boolean running() {
        return camelContext.getStatus().isStarted();
    }
}
