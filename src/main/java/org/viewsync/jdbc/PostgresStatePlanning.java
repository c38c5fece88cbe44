package org.viewsync.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * On a PostgreSQL state database, the service's connections plan without bitmap scans. The inbox and the view tasks
 * are queues: in a burst they grow by thousands of rows a second, far faster than autovacuum analyzes them, and
 * PostgreSQL, planning a claim's "first batch by due time" without statistics of the due times, read every due row
 * through a bitmap and sorted them, twice per claim: 50 to 110 ms a claim with 45,000 notifications waiting, one of
 * the database's cores busy re-reading the backlog while the intake's inserts queued behind it
 * (measured with the benchmark). Every statement the routes send to the state database is a key lookup or
 * an ordered first batch, which an index scan answers in a few rows whatever the statistics say; without bitmap
 * scans the planner has no cheaper-looking alternative to it.
 *
 * <p>A {@code spring.datasource.hikari.connection-init-sql} set by the operator is kept (with a warning).
 */
@Component
public class PostgresStatePlanning implements BeanPostProcessor {

    /** Run on every new connection of the state database's pool. */
    public static final String CONNECTION_INIT_SQL = "SET enable_bitmapscan = off";

    private static final Logger log = LoggerFactory.getLogger(PostgresStatePlanning.class);

    /** After Spring Boot bound spring.datasource.*, before Flyway or anything else opens the pool. */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && "dataSource".equals(beanName) && pool.getJdbcUrl() != null
                && pool.getJdbcUrl().startsWith("jdbc:postgresql:")) {
            if (pool.getConnectionInitSql() == null) {
                pool.setConnectionInitSql(CONNECTION_INIT_SQL);
            } else {
                log.warn("spring.datasource.hikari.connection-init-sql is set, so the state database's queue claims are"
                        + " planned with bitmap scans allowed: include '{}' in it unless PostgreSQL keeps the inbox and"
                        + " view_task statistics current", CONNECTION_INIT_SQL);
            }
        }
        return bean;
    }
}
