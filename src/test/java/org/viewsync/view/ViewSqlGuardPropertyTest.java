package org.viewsync.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A second statement glued to a valid query is refused, however it is glued: a plain semicolon with any whitespace,
 * after or before comments, or behind what one reader takes for quoted text and another for code (backslash escapes,
 * E'...', U&'...', dollar quotes, nested comments, MariaDB executable comments, MariaDB's and H2's own comments,
 * backticks), or behind client commands (\g, \;) and a NUL. Each glue puts the statement where at least one supported
 * database reads it as a statement of its own (ViewSqlGuardOnDatabasesTest shows which), or makes text no database
 * reads as one query.
 */
class ViewSqlGuardPropertyTest {

    private static final ViewSqlGuard GUARD = new ViewSqlGuard();

    /** Valid queries up to where a string literal goes: each glue starts with one there. */
    private static final List<String> QUERIES = List.of(
            "SELECT id, name FROM sales.customers WHERE region = ",
            "select id from sales.customers where email <> ",
            "SELECT 1 AS a, ",
            "WITH eu AS (SELECT * FROM sales.customers WHERE region = 'EU') SELECT id FROM eu WHERE name = ",
            "SELECT c.id FROM sales.customers c JOIN sales.orders o ON o.customer_id = c.id WHERE o.note = ");

    private static final List<String> STATEMENTS = List.of(
            "DROP TABLE sales.customers",
            "DELETE FROM sales.customers",
            "INSERT INTO sales.customers VALUES (9, 'Eve', 'eve@example.com', 'EU')",
            "UPDATE sales.customers SET email = 'owned'",
            "CREATE TABLE sales.stolen AS SELECT * FROM sales.customers",
            "GRANT ALL ON sales.customers TO PUBLIC",
            "TRUNCATE sales.customers",
            "COPY sales.customers TO PROGRAM 'sh'",
            "SET ROLE postgres",
            "DO $$ BEGIN DELETE FROM sales.customers; END $$",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
            "CALL wipe()");

    /**
     * {Q} the query, {S} the second statement, {w} and {v} whitespace (possibly none), {tag} a dollar-quote tag
     * (possibly empty). The statement always follows a semicolon, or a NUL or a client command, that some supported
     * database reads as code.
     */
    private static final List<String> GLUES = List.of(
            // Plain.
            "{Q}'x'{w};{v}{S}",
            "{Q}'x'{w};{v}{S}{w};",
            "{Q}'x'{w};{v};{v}{S}",
            "{Q}'x' AS \"x\"{w};{v}{S}",
            "{Q}$$x$$;{v}{S}",
            // Around comments every database reads alike.
            "{Q}'x' -- c\n;{v}{S}",
            "{Q}'x' /* c */;{v}{S}",
            "{Q}'x';{v}/* c */{v}{S}",
            "{Q}'x';{v}-- c\n{S}",
            "{Q}'x' /*+ hint */;{v}{S}",
            "{Q}'x' /*/ */{w};{v}{S}",
            // MariaDB executable comments.
            "{Q}'x' /*! ;{v}{S} */",
            "{Q}'x' /*!50000 ;{v}{S} */",
            "{Q}'x' /*M! ;{v}{S} */",
            "{Q}'x' /*!{v}*/;{v}{S}",
            "{Q}'x' /*! , '*/ AS a, ' */ ;{v}{S} -- '",
            // Backslashes, under both standard_conforming_strings settings and both MariaDB settings.
            "{Q}'a\\';{v}{S}; --'",
            "{Q}'a\\', ';{v}{S}; -- '",
            "{Q}'a\\\\';{v}{S}; --'",
            "{Q}\"a\\\", \";{v}{S}; -- \"",
            "{Q}E'\\'', ';{v}{S}; --'",
            "{Q}U&'\\';{v}{S}; --'",
            // Dollar quotes.
            "{Q}${tag}$'${tag}$;{v}{S}; --'",
            "{Q}${tag}$;{v}{S};{v}${tag}$",
            "{Q}1$q$ ' $q$;{v}{S}; --'",
            // Nested comments.
            "{Q}'x' /* /* */ AS a, '*/;{v}{S}; --'",
            // Line comments that end elsewhere in another database.
            "{Q}'x' --1;{v}{S}\n",
            "{Q}'x' # '\n;{v}{S}; -- '",
            "{Q}'x' -- c\r;{v}{S}",
            "{Q}'x' //'\n;{v}{S}; --'",
            // Backticks, code to PostgreSQL.
            "{Q}'x' AS `a;{v}{S}; --`",
            // Client commands, and a NUL.
            "{Q}'x' \\;{v}{S}",
            "{Q}'x' \\g{v}{S}",
            "{Q}'x'\u0000;{v}{S}");

    @AfterContainer
    static void stopParsers() {
        GUARD.destroy();
    }

    @Property(tries = 3000)
    void refusesASecondStatementGluedToAQuery(@ForAll("gluedStatements") String sql) {
        assertThat(GUARD.refusal(sql)).as(sql).isNotNull();
    }

    /**
     * Without the glued statement the queries pass: the refusals above are the second statement's. (Not with a form
     * feed after them: JSqlParser does not take it for whitespace, see ViewSqlGuardTest.)
     */
    @Property(tries = 200)
    void acceptsTheQueriesAlone(@ForAll("queries") String query, @ForAll("whitespaceButFormFeeds") String whitespace) {
        assertThat(GUARD.refusal(query + "'x'" + whitespace)).as(query).isNull();
    }

    @Provide
    Arbitrary<String> gluedStatements() {
        return Combinators.combine(Arbitraries.of(GLUES), queries(), statements(), whitespace(), whitespace(), tags())
                .as((glue, query, statement, w, v, tag) -> glue.replace("{Q}", query).replace("{S}", statement)
                        .replace("{w}", w).replace("{v}", v).replace("{tag}", tag));
    }

    @Provide
    Arbitrary<String> queries() {
        return Arbitraries.of(QUERIES);
    }

    /** A statement in any mix of upper and lower case. */
    Arbitrary<String> statements() {
        return Combinators.combine(Arbitraries.of(STATEMENTS), Arbitraries.longs()).as(ViewSqlGuardPropertyTest::inCase);
    }

    @Provide
    Arbitrary<String> whitespace() {
        return Arbitraries.of(" ", "\t", "\n", "\r\n", "\f", "  ").list().ofMaxSize(3).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> whitespaceButFormFeeds() {
        return Arbitraries.of(" ", "\t", "\n", "\r\n", "  ").list().ofMaxSize(3).map(parts -> String.join("", parts));
    }

    Arbitrary<String> tags() {
        return Arbitraries.strings().withChars("abcxyz_").ofMaxLength(4);
    }

    private static String inCase(String statement, long upperCaseBits) {
        StringBuilder cased = new StringBuilder(statement.length());
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            cased.append((upperCaseBits >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return cased.toString();
    }
}
