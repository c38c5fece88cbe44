package org.viewsync.preflight;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.util.TablesNamesFinder;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;
import org.viewsync.immuta.ImmutaPaths;
import org.viewsync.immuta.PageCursor;
import org.viewsync.targets.Target;
import org.viewsync.targets.Targets;
import org.viewsync.view.ViewSqlGuard;

/**
 * Checks, before any notification arrives, what a real Immuta and real targets need from the configuration, and says
 * for each check the exact setting or grant that fixes it: authenticate; list webhooks; find one equalized project
 * and one of its served data sources; fetch their view SQL and pass it through the SQL guard; per target: connect,
 * view schema present or creatable, create and drop a probe view, read the source tables the view SQL names.
 * Immuta is called through the service's own Immuta routes, so the check sees what the workflows will see.
 */
@Component("preflight")
public class Preflight {

    static final String PROBE_VIEW = "viewsync_preflight_probe";

    private final CamelContext camel;
    private final ProducerTemplate immuta;
    private final Targets targets;
    private final ViewSqlGuard guard;
    private final ImmutaProperties immutaProperties;
    private final ImmutaPaths paths;

    public Preflight(CamelContext camel, Targets targets, ViewSqlGuard guard, ImmutaProperties immutaProperties, ImmutaPaths paths) {
        this.camel = camel;
        this.immuta = camel.createProducerTemplate();
        this.targets = targets;
        this.guard = guard;
        this.immutaProperties = immutaProperties;
        this.paths = paths;
    }

    /** Runs every check; a check that cannot run because an earlier one failed is SKIP. */
    public PreflightReport run() {
        startImmutaRoutes();
        PreflightReport report = new PreflightReport();
        Map<Target, Sample> samples = checkImmuta(report);
        for (Target target : targets.all()) {
            checkTarget(report, target, samples.get(target));
        }
        if (targets.all().isEmpty()) {
            report.fail("targets", "no target database is configured", "set VIEWSYNC_TARGETS_<NAME>_URL, _USERNAME, _PASSWORD and _HANDLERTYPES");
        }
        return report;
    }

    // --- Immuta

    /** An equalized project, one of its data sources a target serves, and the view SQL Immuta serves for them. */
    record Sample(Map<?, ?> project, Map<?, ?> dataSource, String viewSql) {
    }

    /** The Immuta checks; answers, for each target it could find one for, a sample of what the target will hold. */
    private Map<Target, Sample> checkImmuta(PreflightReport report) {
        try {
            call("direct:immuta-authenticate", Map.of());
            report.pass("immuta: authenticate", "POST " + immutaProperties.getPaths().getAuthenticate() + " at " + immutaProperties.getUrl());
        } catch (Exception e) {
            report.fail("immuta: authenticate", reason(e), "set IMMUTA_URL to your Immuta's base URL and IMMUTA_API_KEY to the API key of an"
                    + " APPLICATION_ADMIN user");
            report.skip("immuta: webhooks", "Immuta refused the API key");
            report.skip("immuta: equalized project", "Immuta refused the API key");
            report.skip("immuta: view SQL", "Immuta refused the API key");
            return Map.of();
        }
        try {
            Object hooks = call("direct:immuta-list-webhooks", Map.of());
            report.pass("immuta: webhooks", "GET " + immutaProperties.getPaths().getWebhooks() + " lists " + size(hooks) + " hooks");
        } catch (Exception e) {
            report.fail("immuta: webhooks", reason(e), "the API key's user needs APPLICATION_ADMIN to register a global webhook");
        }
        Map<Target, Map<?, ?>[]> pairs = new LinkedHashMap<>();
        Set<String> handlersSeen = new LinkedHashSet<>();
        try {
            findServedPairs(pairs, handlersSeen);
        } catch (Exception e) {
            report.fail("immuta: equalized project", reason(e), "check the API key's permissions (APPLICATION_ADMIN) and immuta.paths.equalized-projects,"
                    + " immuta.paths.project-data-sources");
            report.skip("immuta: view SQL", "no equalized project could be read");
            return Map.of();
        }
        if (pairs.isEmpty()) {
            report.fail("immuta: equalized project", "no equalized project holds a data source of a handler type the targets serve "
                    + handlerTypes() + (handlersSeen.isEmpty() ? "" : "; equalized projects hold " + handlersSeen),
                    "set each target's VIEWSYNC_TARGETS_<NAME>_HANDLERTYPES to the blobHandlerType of the data sources it holds,"
                            + " and equalize a project in Immuta");
            report.skip("immuta: view SQL", "no equalized project with a served data source");
            return Map.of();
        }
        Map<?, ?>[] first = pairs.values().iterator().next();
        report.pass("immuta: equalized project", describe(first[0], first[1]));
        Map<Target, Sample> samples = new LinkedHashMap<>();
        for (Map.Entry<Target, Map<?, ?>[]> pair : pairs.entrySet()) {
            Map<?, ?> project = pair.getValue()[0];
            Map<?, ?> dataSource = pair.getValue()[1];
            String viewSql;
            try {
                viewSql = (String) call("direct:immuta-get-view-sql", Map.of("projectId", project.get("id"), "dataSourceId", dataSource.get("id")));
            } catch (Exception e) {
                report.fail("immuta: view SQL", reason(e), "set IMMUTA_PATHS_VIEWSQL (immuta.paths.view-sql) to your Immuta's view SQL endpoint,"
                        + " and IMMUTA_VIEWSQLFIELD if it answers JSON");
                return samples;
            }
            String refusal = guard.refusal(viewSql);
            if (refusal != null) {
                report.fail("immuta: view SQL", "the SQL guard refuses the view SQL of " + describe(project, dataSource) + ": " + refusal,
                        "check that immuta.paths.view-sql names the view SQL endpoint; the service runs only one query per view");
                return samples;
            }
            samples.put(pair.getKey(), new Sample(project, dataSource, viewSql));
        }
        report.pass("immuta: view SQL", "one query for each of " + samples.size() + " data sources, passing the SQL guard");
        return samples;
    }

    /**
     * Pages through the equalized projects until each target has a data source it serves in one of them, or the
     * projects end: for each target, an equalized project and a data source (as {@code GET /dataSource/{id}} answers it).
     */
    private void findServedPairs(Map<Target, Map<?, ?>[]> pairs, Set<String> handlersSeen) {
        PageCursor projects = new PageCursor(immutaProperties.getPageSize(), "hits");
        while (projects.hasMore() && pairs.size() < targets.all().size()) {
            int before = projects.getItems().size();
            String path = paths.path("equalized-projects", exchangeWith(Map.of("page", projects)));
            projects.accept(asMap(call("direct:immuta-get", Map.of("page", projects, "immutaPath", path))));
            for (Object item : projects.getItems().subList(before, projects.getItems().size())) {
                Map<?, ?> project = (Map<?, ?>) item;
                List<?> dataSources = (List<?>) call("direct:immuta-list-project-data-sources", Map.of("projectId", project.get("id")));
                for (Object entry : dataSources) {
                    Map<?, ?> listed = (Map<?, ?>) entry;
                    String handler = String.valueOf(listed.get("blobHandlerType"));
                    handlersSeen.add(handler);
                    List<Target> unsampled = targets.forHandler(handler).stream().filter(target -> !pairs.containsKey(target)).toList();
                    if (!unsampled.isEmpty()
                            && call("direct:immuta-get-data-source", Map.of("dataSourceId", listed.get("dataSourceId"))) instanceof Map<?, ?> found) {
                        unsampled.forEach(target -> pairs.put(target, new Map<?, ?>[] {project, found}));
                    }
                }
            }
        }
    }

    private static String describe(Map<?, ?> project, Map<?, ?> dataSource) {
        return "project " + project.get("id") + " '" + project.get("name") + "', data source " + dataSource.get("id") + " '"
                + dataSource.get("name") + "' (" + dataSource.get("blobHandlerType") + ")";
    }

    // --- targets

    private void checkTarget(PreflightReport report, Target target, Sample sample) {
        String name = "target " + target.name();
        Grants grants = Grants.of(target);
        try (Connection connection = targets.dataSource(target).getConnection(); Statement statement = connection.createStatement()) {
            String user = connection.getMetaData().getUserName();
            report.pass(name + ": connect", connection.getMetaData().getDatabaseProductName() + " as " + user);
            if (!schemaExists(connection, target)) {
                try {
                    statement.execute(target.dialect().createSchemaIfMissing(target.schema()));
                    report.pass(name + ": view schema", "created " + target.schema());
                } catch (SQLException e) {
                    report.fail(name + ": view schema", target.schema() + " is missing and cannot be created: " + e.getMessage(),
                            grants.schema(target.schema(), user));
                    report.skip(name + ": probe view", "no view schema");
                    report.skip(name + ": source tables", "no view schema");
                    return;
                }
            } else {
                report.pass(name + ": view schema", target.schema() + " exists");
            }
            try {
                statement.execute(target.dialect().createOrReplaceView(target.schema(), PROBE_VIEW, "SELECT 1 AS probe"));
                statement.execute(target.dialect().dropViewIfExists(target.schema(), PROBE_VIEW));
                report.pass(name + ": probe view", "created and dropped " + target.schema() + "." + PROBE_VIEW);
            } catch (SQLException e) {
                report.fail(name + ": probe view", "cannot create and drop a view in " + target.schema() + ": " + e.getMessage(),
                        grants.views(target.schema(), user));
            }
            if (sample == null) {
                report.skip(name + ": source tables", "no equalized data source of a handler type this target serves " + target.handlerTypes()
                        + " was found to read");
                return;
            }
            try (ResultSet ignored = statement.executeQuery("SELECT * FROM (" + sample.viewSql() + ") preflight_probe WHERE 1 = 0")) {
                report.pass(name + ": source tables", "read " + tablesOf(sample.viewSql()) + " through the view SQL of data source "
                        + sample.dataSource().get("id"));
            } catch (SQLException e) {
                report.fail(name + ": source tables", "cannot read what the view SQL of data source " + sample.dataSource().get("id")
                        + " selects from: " + e.getMessage(), grants.select(tablesOf(sample.viewSql()), user));
            }
        } catch (SQLException e) {
            report.fail(name + ": connect", e.getMessage(), "check VIEWSYNC_TARGETS_" + target.name().toUpperCase()
                    + "_URL, _USERNAME and _PASSWORD, and that the database accepts connections from this host");
            report.skip(name + ": view schema", "no connection");
            report.skip(name + ": probe view", "no connection");
            report.skip(name + ": source tables", "no connection");
        }
    }

    private static boolean schemaExists(Connection connection, Target target) throws SQLException {
        try (ResultSet schemas = target.dialect().name().equals("mariadb")
                ? connection.getMetaData().getCatalogs() : connection.getMetaData().getSchemas()) {
            while (schemas.next()) {
                if (schemas.getString(1).equalsIgnoreCase(target.schema())) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Set<String> tablesOf(String viewSql) {
        try {
            return new TablesNamesFinder<>().getTables(CCJSqlParserUtil.parse(viewSql));
        } catch (Exception e) {
            return Set.of("(the tables of the view SQL)");
        }
    }

    // --- plumbing

    private Object call(String endpoint, Map<String, Object> variables) {
        Exchange exchange = immuta.send(endpoint, exchangeWith(variables));
        if (exchange.getException() != null) {
            throw new IllegalStateException(exchange.getException().getMessage(), exchange.getException());
        }
        return exchange.getMessage().getBody();
    }

    private Exchange exchangeWith(Map<String, Object> variables) {
        Exchange exchange = new DefaultExchange(camel);
        variables.forEach(exchange::setVariable);
        return exchange;
    }

    /**
     * The --preflight run starts no route; it needs the Immuta API's. Routes that run only when called (direct:) are
     * started; no timer, queue or HTTP endpoint is.
     */
    private void startImmutaRoutes() {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().startsWith("direct:")
                    && !camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                try {
                    camel.getRouteController().startRoute(route.getRouteId());
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start route " + route.getRouteId() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private Set<String> handlerTypes() {
        Set<String> types = new LinkedHashSet<>();
        targets.all().forEach(target -> types.addAll(target.handlerTypes()));
        return types;
    }

    private static String reason(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static int size(Object list) {
        return list instanceof List<?> items ? items.size() : list instanceof Map<?, ?> map && map.get("hits") instanceof List<?> hits ? hits.size() : 0;
    }

    private static Map<String, Object> asMap(Object answer) {
        if (answer instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(String.valueOf(key), value));
            return copy;
        }
        throw new IllegalStateException("Immuta's project search answered no object: " + answer);
    }

    /** The grants that fix a failed target check, in the target's own SQL. */
    record Grants(String dialect) {
        static Grants of(Target target) {
            return new Grants(target.dialect().name());
        }

        String schema(String schema, String user) {
            return dialect.equals("mariadb") ? "CREATE DATABASE " + schema + "; GRANT CREATE VIEW, SHOW VIEW, DROP, SELECT ON " + schema
                    + ".* TO '" + user + "'" : "CREATE SCHEMA " + schema + " AUTHORIZATION " + user
                    + " (or: GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + user + ")";
        }

        String views(String schema, String user) {
            return dialect.equals("mariadb") ? "GRANT CREATE VIEW, SHOW VIEW, DROP, SELECT ON " + schema + ".* TO '" + user + "'"
                    : "GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + user;
        }

        String select(Set<String> tables, String user) {
            List<String> grants = new ArrayList<>();
            for (String table : tables) {
                grants.add(dialect.equals("mariadb") ? "GRANT SELECT ON " + table + " TO '" + user + "'" : "GRANT SELECT ON " + table + " TO " + user);
            }
            if (!dialect.equals("mariadb")) {
                tables.stream().filter(table -> table.contains(".")).map(table -> table.substring(0, table.indexOf('.'))).distinct()
                        .forEach(schema -> grants.add(0, "GRANT USAGE ON SCHEMA " + schema + " TO " + user));
            }
            return String.join("; ", grants);
        }
    }
}
