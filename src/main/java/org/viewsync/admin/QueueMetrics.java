package org.viewsync.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.VariableRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gauges over the durable queues and the last reconciliation, read when scraped:
 * {@code viewsync.inbox{status}}, {@code viewsync.view.tasks{status}}, {@code viewsync.view.sql.refused} and
 * {@code viewsync.reconciliation.last{outcome}}.
 */
@Component
public class QueueMetrics {

    public QueueMetrics(MeterRegistry registry, JdbcTemplate state, CamelContext camel) {
        for (String status : List.of("PENDING", "FAILED")) {
            Gauge.builder("viewsync.inbox", state, s -> count(s, "inbox", status))
                    .description("Notifications in the inbox, by status").tag("status", status.toLowerCase()).register(registry);
            Gauge.builder("viewsync.view.tasks", state, s -> count(s, "view_task", status))
                    .description("View tasks, by status").tag("status", status.toLowerCase()).register(registry);
        }
        Gauge.builder("viewsync.view.sql.refused", state, s -> s.queryForObject("SELECT count(*) FROM refused_view_sql", Integer.class))
                .description("Views whose SQL from Immuta was refused (not exactly one query) and not since replaced").register(registry);
        for (String outcome : List.of("created", "replaced", "dropped", "unchanged", "failed", "durationMs")) {
            Gauge.builder("viewsync.reconciliation.last", camel, c -> lastReconciliation(c, outcome))
                    .description("The last reconciliation run's counts and duration").tag("outcome", outcome).register(registry);
        }
    }

    private static double count(JdbcTemplate state, String table, String status) {
        Integer count = state.queryForObject("SELECT count(*) FROM " + table + " WHERE status = ?", Integer.class, status);
        return count == null ? 0 : count;
    }

    private static double lastReconciliation(CamelContext camel, String outcome) {
        VariableRepository global = camel.getCamelContextExtension().getContextPlugin(org.apache.camel.spi.VariableRepositoryFactory.class)
                .getVariableRepository("global");
        return global.getVariable("lastReconciliation") instanceof Map<?, ?> report && report.get(outcome) instanceof Number number
                ? number.doubleValue() : Double.NaN;
    }
}
