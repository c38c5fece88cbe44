package org.viewsync.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connections camel-jdbc endpoints use. camel-jdbc asks every prepared statement for
 * {@code getParameterMetaData().getParameterCount()} before it binds the headers, and the PostgreSQL driver answers
 * that with a round trip in which the server parses the statement once more: about 0.3 ms of a 0.5 ms statement,
 * measured on this service's own statements. The routes' statements are the service's own SQL, so their {@code ?}
 * placeholders are counted from the text instead; anything else about the parameters is still asked of the driver.
 */
public final class PlaceholderCountingDataSource extends DelegatingDataSource {

    public PlaceholderCountingDataSource(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return countingPlaceholders(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return countingPlaceholders(super.getConnection(username, password));
    }

    /**
     * The {@code ?} placeholders of a statement: outside quoted text, quoted identifiers and comments. -1 when the
     * text has what this does not read (PostgreSQL's dollar quoting, or {@code ??}, the driver's escaped question
     * mark): then the driver counts.
     */
    static int placeholders(String sql) {
        int count = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = sql.indexOf(c, i + 1); // a doubled quote inside closes and reopens: the count is the same
                if (i < 0) {
                    return -1;
                }
            } else if (c == '-' && sql.startsWith("--", i)) {
                i = sql.indexOf('\n', i);
                if (i < 0) {
                    break;
                }
            } else if (c == '/' && sql.startsWith("/*", i)) {
                i = sql.indexOf("*/", i + 2);
                if (i < 0) {
                    return -1;
                }
                i++;
            } else if (c == '$' || (c == '?' && sql.startsWith("??", i))) {
                return -1;
            } else if (c == '?') {
                count++;
            }
        }
        return count;
    }

    private static Connection countingPlaceholders(Connection connection) {
        return proxy(Connection.class, connection, (method, args) -> {
            Object result = method.invoke(connection, args);
            if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")) {
                int count = placeholders((String) args[0]);
                return count < 0 ? statement : countedStatement(statement, count);
            }
            return result;
        });
    }

    private static PreparedStatement countedStatement(PreparedStatement statement, int count) {
        return proxy(PreparedStatement.class, statement, (method, args) -> method.getName().equals("getParameterMetaData")
                ? countedMetaData(statement, count)
                : method.invoke(statement, args));
    }

    private static ParameterMetaData countedMetaData(PreparedStatement statement, int count) {
        return proxy(ParameterMetaData.class, statement, (method, args) -> method.getName().equals("getParameterCount")
                ? count
                : method.invoke(statement.getParameterMetaData(), args));
    }

    private interface Call {
        Object on(Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Object delegate, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName() + " counting placeholders of " + delegate;
                };
            }
            try {
                return call.on(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(PlaceholderCountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
