package org.viewsync.jdbc;

import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

/**
 * Binds the service's state database (Spring's dataSource) in Camel's registry as {@code stateDatabase}, the name
 * of the routes' {@code jdbc:} endpoint. Not a Spring bean of type DataSource: a second one would make Spring Boot
 * back off from configuring the first.
 */
@Component
public class StateDatabase {

    static final String NAME = "stateDatabase";

    public StateDatabase(DataSource dataSource, CamelContext camelContext) {
        camelContext.getRegistry().bind(NAME, new PlaceholderCountingDataSource(dataSource));
    }
}
