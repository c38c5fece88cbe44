package org.viewsync.targets;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/**
 * The configured target databases. Each gets a connection pool, bound in Camel's registry as
 * {@code target-<name>} for the {@code sql:} endpoints the routes read views with ({@code dataSource=#target-<name>}).
 */
@Component("targets")
public class Targets implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(Targets.class);

    private final List<Target> all = new ArrayList<>();
    private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();

    public Targets(ViewSyncProperties properties, CamelContext camelContext) {
        for (Map.Entry<String, ViewSyncProperties.Target> entry : properties.getTargets().entrySet()) {
            String name = entry.getKey();
            ViewSyncProperties.Target config = entry.getValue();
            SqlDialect dialect = SqlDialects.resolve(config.getDialect(), config.getUrl());
            String multiStatements = dialect.multiStatementUrl(config.getUrl());
            if (multiStatements != null) {
                // Not started at all rather than relying on the view SQL guard alone (docs/security.md).
                throw new IllegalStateException("Target '" + name + "': its URL is refused: " + multiStatements);
            }
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName("target-" + name);
            pool.setJdbcUrl(config.getUrl());
            pool.setUsername(config.getUsername());
            pool.setPassword(config.getPassword());
            // A connection for each view task applying at once, and one for the reconciliation's listing of the views.
            pool.setMaximumPoolSize(properties.getProcessing().getApplyConcurrency() + 1);
            // A target that is down fails the attempt fast; the inbox retries it later.
            pool.setConnectionTimeout(5_000);
            // Connect lazily: a target that is down at start must not keep the service, and its other targets, down.
            pool.setInitializationFailTimeout(-1);
            // Each statement the routes send commits by itself; the DDL's own transactions are TargetStatements'.
            pool.setAutoCommit(true);
            pools.put(name, pool);
            String beanName = "target-" + name;
            camelContext.getRegistry().bind(beanName, pool);
            all.add(new Target(name, config.getSchema(), dialect, List.copyOf(config.getHandlerTypes())));
            LOG.info("Target '{}': {} views in schema '{}' for handler types {}", name, dialect.name(), config.getSchema(),
                    config.getHandlerTypes());
        }
        if (all.isEmpty()) {
            LOG.warn("No target databases configured (viewsync.targets): notifications will be received but no view is written");
        }
    }

    public List<Target> all() {
        return List.copyOf(all);
    }

    /** The targets that keep views for data sources of this blobHandlerType. */
    public List<Target> forHandler(String handlerType) {
        return all.stream().filter(t -> t.serves(handlerType)).toList();
    }

    /**
     * Per target that keeps views for data sources of this blobHandlerType, the variables a view's apply reads: the
     * target itself, targetName and targetSchema.
     */
    public List<Map<String, Object>> variablesForHandler(String handlerType) {
        return forHandler(handlerType).stream()
                .map(target -> Map.<String, Object>of("target", target, "targetName", target.name(), "targetSchema", target.schema()))
                .toList();
    }

    public boolean servesHandler(String handlerType) {
        return all.stream().anyMatch(t -> t.serves(handlerType));
    }

    /** The connection pool of the target. */
    public DataSource dataSource(Target target) {
        return pools.get(target.name());
    }

    public Target named(String name) {
        return all.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No target named '" + name + "'"));
    }

    @Override
    public void destroy() {
        pools.values().forEach(HikariDataSource::close);
    }
}
