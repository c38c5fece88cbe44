package org.viewsync.jdbc;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Names the service's state database (Spring Boot's {@code dataSource}) {@code stateDatabase}, the name the routes'
 * {@code sql:} endpoints use ({@code dataSource=#stateDatabase}). An alias, not a second DataSource bean: with a second
 * one Spring Boot would stop configuring the first.
 */
@Configuration(proxyBeanMethods = false)
public class StateDatabaseName {

    static final String NAME = "stateDatabase";

    @Bean
    static BeanFactoryPostProcessor stateDatabaseAlias() {
        return beanFactory -> beanFactory.registerAlias("dataSource", NAME);
    }
}
