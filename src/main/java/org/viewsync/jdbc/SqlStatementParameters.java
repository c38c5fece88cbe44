package org.viewsync.jdbc;

import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.component.sql.SqlEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-sql as the routes use it: every statement parameter is an expression ({@code :#${variable.x}}), read from the
 * exchange. camel-sql also offers each parameter the message body converted to a Map; a body that is not one (the
 * SQL text, a JSON answer, a list of rows) costs a full search of Camel's type converters for every parameter of
 * every statement, as Camel does not remember a failed conversion: about 30 % of the service's CPU in a burst. The
 * body is offered only when it already is a Map.
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
                    sql.setPrepareStatementStrategy(new BodyOnlyWhenMap(sql.getSeparator()));
                }
                return endpoint;
            }
        };
    }

    static final class BodyOnlyWhenMap extends DefaultSqlPrepareStatementStrategy {

        BodyOnlyWhenMap(char separator) {
            super(separator);
        }

        @Override
        public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
                Object value) throws SQLException {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value instanceof Map ? value : null);
        }
    }
}
