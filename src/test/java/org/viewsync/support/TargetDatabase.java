package org.viewsync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The real target databases the tests write views into: PostgreSQL and MariaDB on this machine. Each holds a
 * source table {@code sales.customers} that the views select from.
 */
public enum TargetDatabase {

    POSTGRES("postgres", "jdbc:postgresql://127.0.0.1:5432/viewsync_test", "postgres", "PostgreSQL", "immuta_views") {
        @Override
        void createDatabase() throws SQLException {
            try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 Statement statement = admin.createStatement();
                 ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'viewsync_test'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE viewsync_test");
                }
            }
        }

        @Override
        String recreateSchema() {
            return "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema;
        }

        @Override
        String createSourceSchema() {
            return "CREATE SCHEMA IF NOT EXISTS sales";
        }
    },

    MARIADB("maria", "jdbc:mariadb://127.0.0.1:3306/", "root", "MariaDB", "immuta_views") {
        @Override
        void createDatabase() {
        }

        @Override
        String recreateSchema() {
            return "DROP DATABASE IF EXISTS " + schema + "; CREATE DATABASE " + schema;
        }

        @Override
        String createSourceSchema() {
            return "CREATE DATABASE IF NOT EXISTS sales";
        }
    };

    public final String target;
    public final String url;
    public final String user;
    public final String handlerType;
    public final String schema;

    TargetDatabase(String target, String url, String user, String handlerType, String schema) {
        this.target = target;
        this.url = url;
        this.user = user;
        this.handlerType = handlerType;
        this.schema = schema;
    }

    abstract void createDatabase() throws SQLException;

    abstract String recreateSchema();

    abstract String createSourceSchema();

    /** Creates the database when this machine has not got it yet. */
    public void createIfMissing() {
        try {
            createDatabase();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create " + this + " at " + url + ": " + e.getMessage(), e);
        }
    }

    /** Creates the source table with a few customers, and an empty view schema. */
    public void reset() {
        createIfMissing();
        executeEach(List.of((recreateSchema() + ";" + createSourceSchema() + ";" + "DROP TABLE IF EXISTS sales.customers" + (this == POSTGRES ? " CASCADE;" : ";")
                + "CREATE TABLE sales.customers (id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100), region VARCHAR(10));"
                + "INSERT INTO sales.customers VALUES (1, 'Ada', 'ada@example.com', 'EU'), (2, 'Bob', 'bob@example.com', 'US'),"
                + " (3, 'Chen', 'chen@example.com', 'APAC')").split(";")));
    }

    public void execute(String sql) {
        executeEach(List.of(sql));
    }

    /** Each statement in its own transaction, over one connection. */
    public void executeEach(List<String> statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(sql + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + this + " at " + url + ": " + e.getMessage(), e);
        }
    }

    public List<String> views() {
        return query("SELECT table_name AS v FROM information_schema.views WHERE table_schema = '" + schema + "' ORDER BY table_name")
                .stream().map(row -> (String) row.values().iterator().next()).toList();
    }

    /** Every table and view in the database outside the system schemas, as schema.name. */
    public Set<String> objects() {
        String concat = this == POSTGRES ? "table_schema || '.' || table_name" : "CONCAT(table_schema, '.', table_name)";
        return query("SELECT " + concat + " AS o FROM information_schema.tables WHERE table_schema NOT IN"
                + " ('pg_catalog', 'information_schema', 'mysql', 'performance_schema', 'sys')").stream()
                .map(row -> (String) row.values().iterator().next()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The source table's rows, which no view SQL may change. */
    public List<Map<String, Object>> customers() {
        return query("SELECT * FROM sales.customers ORDER BY id");
    }

    /** The rows the view answers, as a reader of the view sees them. */
    public List<Map<String, Object>> rows(String view) {
        String quoted = this == POSTGRES ? '"' + view + '"' : '`' + view + '`';
        return query("SELECT * FROM " + schema + "." + quoted + " ORDER BY id");
    }

    public List<Map<String, Object>> query(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                    row.put(result.getMetaData().getColumnLabel(column).toLowerCase(), result.getObject(column));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }
}
