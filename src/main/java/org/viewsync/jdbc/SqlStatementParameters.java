package org.viewsync.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.spi.Language;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.component.sql.SqlEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-sql as the routes use it: every statement parameter is a simple expression ({@code :#${variable.x}}) read
 * from the exchange. For each parameter of each statement camel-sql also offers the message body converted to a Map,
 * even when the parameter is an expression that never reads it; a body that is not a Map (the SQL text, a JSON
 * answer, a list of rows) costs a full search of Camel's type converters every time, as Camel does not remember a
 * failed conversion. Statements whose parameters are all expressions are bound by evaluating them alone; any other
 * statement is bound as camel-sql does.
 */
@Configuration(proxyBeanMethods = false)
public class SqlStatementParameters {

    /** The {@code sql} component of the routes; the starter's camel.component.sql.* settings still apply to it. */
    @Bean("sql")
    SqlComponent sql() {
        return new SqlComponent() {
            @Override
            protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
                Endpoint endpoint = super.createEndpoint(uri, remaining, parameters);
                if (endpoint instanceof SqlEndpoint sql && sql.getPrepareStatementStrategy() == null) {
                    sql.setPrepareStatementStrategy(new ExpressionParameters(sql.getSeparator()));
                }
                return endpoint;
            }
        };
    }

    static final class ExpressionParameters extends DefaultSqlPrepareStatementStrategy {

        /** camel-sql's named parameter, {@code :?name} or {@code :?${expression}}, once {@code #} became {@code ?}. */
        private static final Pattern NAMED_PARAMETER = Pattern.compile(":\\?(in:)?(\\w+|\\$\\{[^}]+}|\\$simple\\{[^}]+})");

        /** Per statement text: its parameters' expressions in order, or empty when camel-sql must bind it itself. */
        private final Map<String, Optional<List<Expression>>> expressionsByQuery = new ConcurrentHashMap<>();

        ExpressionParameters(char separator) {
            super(separator);
        }

        @Override
        public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
                Object value) throws SQLException {
            Optional<List<Expression>> expressions = expressionsByQuery.computeIfAbsent(query, statement -> {
                Language simple = exchange.getContext().resolveLanguage("simple");
                return expressionsOf(statement).map(texts -> texts.stream().map(simple::createExpression).toList());
            });
            if (expressions.isEmpty()) {
                return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
            }
            List<Object> values = new ArrayList<>(expressions.get().size());
            for (Expression expression : expressions.get()) {
                values.add(expression.evaluate(exchange, Object.class));
            }
            return values.iterator();
        }

        /** The statement's parameters when each is a plain {@code ${...}} expression, else empty. */
        static Optional<List<String>> expressionsOf(String query) {
            List<String> expressions = new ArrayList<>();
            Matcher matcher = NAMED_PARAMETER.matcher(query);
            while (matcher.find()) {
                String parameter = matcher.group(2);
                // "in:" lists and nested expressions (${a[?${b}]}, which the pattern cuts short) stay with camel-sql.
                boolean plainExpression = matcher.group(1) == null && parameter.startsWith("${") && parameter.indexOf('{', 2) < 0;
                if (!plainExpression) {
                    return Optional.empty();
                }
                expressions.add(parameter);
            }
            return expressions.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(expressions));
        }
    }
}
