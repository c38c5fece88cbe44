package org.viewsync.view;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A second statement glued to a valid query is refused, however it is glued: a plain semicolon with any whitespace,
 * after or before comments, or behind what one reader takes for quoted text and another for code (backslash escapes,
 * E'...', U&'...', dollar quotes, nested comments, MariaDB executable comments, MariaDB's and H2's own comments,
 * backticks), or behind client commands (\g, \;) and a NUL. Each glue puts the statement where at least one supported
 * database reads it as a statement of its own (ViewSqlGuardOnDatabasesTest shows which), or makes text no database
 * reads as one query.
 *
 * <p>The cases come from a {@link Random} with a fixed seed, so that every run tries the same texts; another seed is
 * given with {@code -Dguard.seed=...} (decimal, or hex with 0x). A failure names the seed and lists the texts, as Java
 * string literals, that the guard took wrongly.
 */
class ViewSqlGuardPropertyTest {

    private static final ViewSqlGuard GUARD = new ViewSqlGuard();

    /** The seed of the runs without -Dguard.seed. */
    private static final long DEFAULT_SEED = 0x5EED_6A4DL;

    private static final long SEED = Long.getLong("guard.seed", DEFAULT_SEED);

    private static final int GLUED_TRIES = 3000;

    private static final int ALONE_TRIES = 200;

    /** At most this many of the texts taken wrongly are listed in a failure. */
    private static final int LISTED = 20;

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

    private static final List<String> WHITESPACE = List.of(" ", "\t", "\n", "\r\n", "\f", "  ");

    /** Not a form feed after the queries alone: JSqlParser does not take it for whitespace, see ViewSqlGuardTest. */
    private static final List<String> WHITESPACE_BUT_FORM_FEEDS = List.of(" ", "\t", "\n", "\r\n", "  ");

    private static final String TAG_CHARACTERS = "abcxyz_";

    @AfterAll
    static void stopParsers() {
        GUARD.destroy();
    }

    @Test
    void refusesASecondStatementGluedToAQuery() {
        Random random = new Random(SEED);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < GLUED_TRIES; i++) {
            String sql = gluedStatement(random);
            if (GUARD.refusal(sql) == null) {
                accepted.add(javaLiteral(sql));
            }
        }
        reportIfAny(accepted, GLUED_TRIES, "texts with a second statement glued on accepted");
    }

    /** Without the glued statement the queries pass: the refusals above are the second statement's. */
    @Test
    void acceptsTheQueriesAlone() {
        Random random = new Random(SEED);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < ALONE_TRIES; i++) {
            String sql = pick(random, QUERIES) + "'x'" + whitespace(random, WHITESPACE_BUT_FORM_FEEDS);
            String refusal = GUARD.refusal(sql);
            if (refusal != null) {
                refused.add(javaLiteral(sql) + " refused: " + refusal);
            }
        }
        reportIfAny(refused, ALONE_TRIES, "queries alone refused");
    }

    private static String gluedStatement(Random random) {
        String glue = pick(random, GLUES);
        String query = pick(random, QUERIES);
        String statement = inCase(pick(random, STATEMENTS), random.nextLong());
        String w = whitespace(random, WHITESPACE);
        String v = whitespace(random, WHITESPACE);
        String tag = tag(random);
        return glue.replace("{Q}", query).replace("{S}", statement).replace("{w}", w).replace("{v}", v)
                .replace("{tag}", tag);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Up to three pieces of whitespace, or none. */
    private static String whitespace(Random random, List<String> pieces) {
        int count = random.nextInt(4);
        StringBuilder whitespace = new StringBuilder();
        for (int i = 0; i < count; i++) {
            whitespace.append(pick(random, pieces));
        }
        return whitespace.toString();
    }

    /** A dollar-quote tag of up to four characters, or none. */
    private static String tag(Random random) {
        int length = random.nextInt(5);
        StringBuilder tag = new StringBuilder();
        for (int i = 0; i < length; i++) {
            tag.append(TAG_CHARACTERS.charAt(random.nextInt(TAG_CHARACTERS.length())));
        }
        return tag.toString();
    }

    /** The statement in a mix of upper and lower case, one bit of upperCaseBits a character. */
    private static String inCase(String statement, long upperCaseBits) {
        StringBuilder cased = new StringBuilder(statement.length());
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            cased.append((upperCaseBits >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return cased.toString();
    }

    /** Fails listing the texts taken wrongly (already as literals), if any, with the seed that repeats the run. */
    private static void reportIfAny(List<String> wrong, int tries, String what) {
        if (wrong.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder()
                .append("seed ").append(SEED).append(" (-Dguard.seed=").append(SEED).append(" repeats this run): ")
                .append(wrong.size()).append(" of ").append(tries).append(' ').append(what).append(':');
        wrong.stream().limit(LISTED).forEach(line -> message.append("\n  ").append(line));
        if (wrong.size() > LISTED) {
            message.append("\n  ... and ").append(wrong.size() - LISTED).append(" more");
        }
        fail(message.toString());
    }

    /** The text as a Java string literal, so that line breaks, form feeds and NULs show. */
    private static String javaLiteral(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> literal.append("\\\"");
                case '\\' -> literal.append("\\\\");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                case '\f' -> literal.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        literal.append(String.format("\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('"').toString();
    }
}
