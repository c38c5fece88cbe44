package org.viewsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.TypeConverterSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Statement parameters as the routes write them ({@code :#${variable.x}}), bound by the routes' sql component on the
 * real PostgreSQL: from the expressions alone, without offering camel-sql the message body as a Map for each one (a
 * body that is not a Map costs a search of every type converter, the service's largest CPU cost in a burst).
 */
class SqlStatementParametersTest {

    @TempDir
    Path statements;
    private CamelContext camel;
    private final AtomicInteger conversionsToMapSearched = new AtomicInteger();

    @BeforeEach
    void startCamel() {
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl("jdbc:postgresql://127.0.0.1:5432/postgres");
        database.setUser("postgres");
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("db", database);
        // Consulted once Camel's own converters have all been searched in vain.
        camel.getTypeConverterRegistry().addFallbackTypeConverter(new TypeConverterSupport() {
            @Override
            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                if (type == Map.class) {
                    conversionsToMapSearched.incrementAndGet();
                }
                return null;
            }
        }, false);
        camel.addComponent("sql", new SqlStatementParameters().sql());
        camel.start();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    @Test
    void expressionParametersAreBoundWithoutConvertingTheBody() throws Exception {
        Exchange answer = run("SELECT CAST(:#${variable.view} AS text) AS view, CAST(:#${header.attempts} AS int) AS attempts,"
                + " CAST(:#${variable.item[projectId]} AS int) AS project", "the view's SQL, not a Map",
                Map.of("view", "customers_eu", "item", Map.of("projectId", 7)), Map.of("attempts", 3));

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getBody(List.class))
                .containsExactly(Map.of("view", "customers_eu", "attempts", 3, "project", 7));
        assertThat(conversionsToMapSearched).as("searches for a conversion of the body to a Map").hasValue(0);
    }

    @Test
    void aMapBodyDoesNotShadowTheExpressions() throws Exception {
        Exchange answer = run("SELECT CAST(:#${variable.view} AS text) AS view", Map.of("view", "from the body"),
                Map.of("view", "from the variable"), Map.of());

        assertThat(answer.getMessage().getBody(List.class)).containsExactly(Map.of("view", "from the variable"));
    }

    @Test
    void namedParametersStayWithCamelSql() throws Exception {
        Exchange answer = run("SELECT CAST(:#view AS text) AS view, :#${variable.attempts} AS attempts", "not a Map",
                Map.of("attempts", 2), Map.of("view", "from the header"));

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getBody(List.class)).containsExactly(Map.of("view", "from the header", "attempts", 2));
    }

    @Test
    void onlyPlainExpressionsAreBoundDirectly() {
        assertThat(SqlStatementParameters.ExpressionParameters.expressionsOf("SELECT :?${variable.a}, :?${header.b[c]}"))
                .contains(List.of("${variable.a}", "${header.b[c]}"));
        assertThat(SqlStatementParameters.ExpressionParameters.expressionsOf("SELECT :?${variable.a}, :?name")).isEmpty();
        assertThat(SqlStatementParameters.ExpressionParameters.expressionsOf("SELECT 1 WHERE id IN (:?in:${variable.ids})")).isEmpty();
        assertThat(SqlStatementParameters.ExpressionParameters.expressionsOf("SELECT :?${variable.a[?${variable.i}]}")).isEmpty();
        assertThat(SqlStatementParameters.ExpressionParameters.expressionsOf("SELECT 1")).isEmpty();
    }

    private Exchange run(String statement, Object body, Map<String, Object> variables, Map<String, Object> headers)
            throws Exception {
        Path file = Files.writeString(Files.createTempFile(statements, "statement", ".sql"), statement);
        return camel.createProducerTemplate().send("sql:file:" + file + "?dataSource=#db", exchange -> {
            exchange.getMessage().setBody(body);
            variables.forEach(exchange::setVariable);
            headers.forEach(exchange.getMessage()::setHeader);
        });
    }
}
