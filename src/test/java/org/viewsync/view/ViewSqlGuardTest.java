package org.viewsync.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The view SQL guard on its own, with the inputs where the SQL parser and a database, or two databases, may read the
 * same text differently. Each is refused, or accepted for the reason given with it. What the databases themselves do
 * with these texts is shown in {@link ViewSqlGuardOnDatabasesTest}.
 */
class ViewSqlGuardTest {

    private static final ViewSqlGuard GUARD = new ViewSqlGuard();

    @AfterAll
    static void stopParsers() {
        GUARD.destroy();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refuses(String why, String sql, String reason) {
        assertThat(GUARD.refusal(sql)).as(sql).isNotNull().contains(reason);
    }

    static Stream<Arguments> refuses() {
        return Stream.of(
                // Backslashes: an escape in MariaDB, and in PostgreSQL with standard_conforming_strings off; a plain
                // character in PostgreSQL's default and in MariaDB with NO_BACKSLASH_ESCAPES.
                refused("\\' continues the string where backslashes escape, so the ; after it is code there (the old guard accepted this)",
                        "SELECT 'a\\', '; DROP TABLE t; --'", "3 statements, not one query, as MariaDB reads it"),
                refused("\\' ends the string in PostgreSQL's default reading, so the ; after it is code there",
                        "SELECT 'a\\'; DROP TABLE t; --'", "statements, not one query"),
                refused("\\\\ is one backslash or two, the string ends at the same quote, and the ; after it is code in every reading",
                        "SELECT 'a\\\\'; DROP TABLE t; --'", "statements, not one query"),
                refused("\\\" continues a MariaDB double-quoted string, a quoted name elsewhere (the old guard accepted this)",
                        "SELECT \"a\\\", \"; DROP TABLE t; -- \"", "2 statements, not one query, as MariaDB reads it"),
                refused("a string ending in a backslash never ends where backslashes escape: harmless to PostgreSQL, refused all the same",
                        "SELECT 'C:\\'", "unterminated string at character 8 as PostgreSQL with standard_conforming_strings off reads it"),
                // PostgreSQL's E'...' strings always escape with backslashes; MariaDB without escapes ends them at \'.
                refused("E'...\\'...' is one string to PostgreSQL, but ends at \\' in MariaDB with NO_BACKSLASH_ESCAPES: refused though harmless to PostgreSQL",
                        "SELECT E'it\\'s' AS x", "unterminated string at character 15 as MariaDB with NO_BACKSLASH_ESCAPES reads it"),
                refused("E'\\'' is a quote to PostgreSQL; without escapes the string ends early and the ; is code",
                        "SELECT E'\\'', '; DROP TABLE t; --'", "statements, not one query, as MariaDB with NO_BACKSLASH_ESCAPES reads it"),
                refused("E'\\\\' ends where every reading ends it, and the ; after it is code",
                        "SELECT E'\\\\'; DROP TABLE t; --'", "statements, not one query"),
                // Unicode escapes: U&'...' takes no backslash escape of a quote in PostgreSQL; MariaDB reads U & '...'.
                refused("U&'\\' ends at the quote in PostgreSQL", "SELECT U&'\\'; DROP TABLE t; --'", "statements, not one query"),
                // Dollar quoting: a string in PostgreSQL (and $$ in H2), code in MariaDB.
                refused("$tag$'$tag$ is a dollar-quoted quote to PostgreSQL, so the ; after it is code (the old guard accepted this)",
                        "SELECT $t$'$t$ AS a; DROP TABLE t; --'", "2 statements, not one query, as PostgreSQL reads it"),
                refused("$$'$$ likewise", "SELECT $$'$$ AS a; DROP TABLE t; --'", "2 statements, not one query, as PostgreSQL reads it"),
                refused("a ; inside $$...$$ is quoted to PostgreSQL and H2, code to MariaDB",
                        "SELECT $$; DROP TABLE t; $$ AS a", "3 statements, not one query, as MariaDB reads it"),
                refused("tags do not nest: $b$ inside $a$...$a$ is text to PostgreSQL, nothing to MariaDB",
                        "SELECT $a$ $b$; DROP TABLE t; $b$ $a$ AS a", "as MariaDB reads it"),
                refused("whether 1$x$ is a number and a dollar quote depends on PostgreSQL's version: not guessed",
                        "SELECT 1$x$ ' $x$; DROP TABLE t; --'", "a dollar sign right after a number at character 9 as PostgreSQL reads it"),
                // Nested block comments: PostgreSQL and H2 nest them, MariaDB and the parser do not.
                refused("PostgreSQL's comment closes at the second */, inside what the parser reads as a string (the old guard accepted this)",
                        "SELECT 1 /* /* */ AS a, '*/; DROP TABLE t; --' AS b", "2 statements, not one query, as PostgreSQL reads it"),
                refused("an inner /* leaves PostgreSQL's comment open to the end",
                        "SELECT 1 /*/ ; DROP TABLE t; /*/", "unterminated comment at character 10 as PostgreSQL reads it"),
                refused("pgjdbc closes a comment at /*/ where the server does not, and would split at the ; inside",
                        "SELECT 1 /*/ ; */", "the PostgreSQL driver would send the view SQL as 2 statements"),
                // MariaDB executable comments are code to MariaDB and MySQL, comments to everyone else.
                refused("a string inside /*! ... */ hides the comment's end from the parser, and the ; after it is code to MariaDB (the old guard accepted this)",
                        "SELECT 1 /*! , '*/ AS a, ' */ ; DROP TABLE t -- '", "an executable comment (/*! or /*M!) at character 10 as MariaDB reads it"),
                refused("/*!NNNNN ... */ changes the query MariaDB runs", "SELECT 1 AS a /*!50000 , 2 AS b */", "executable comment"),
                refused("/*M! ... */ is MariaDB's own executable comment", "SELECT 1 AS a /*M!100000 , 2 AS b */", "executable comment"),
                refused("/*M! without a version", "SELECT 1 /*M! ; DROP TABLE t */", "executable comment"),
                // Line comments.
                refused("--1 is minus minus one to MariaDB, which needs a space after -- (the old guard accepted this)",
                        "SELECT 1 --1; DROP TABLE t\n", "2 statements, not one query, as MariaDB reads it"),
                refused("# starts a comment in MariaDB only", "SELECT 1 # '\n; DROP TABLE t; -- '", "2 statements, not one query, as MariaDB reads it"),
                refused("PostgreSQL ends a line comment at \\r, MariaDB only at \\n", "SELECT 1 -- c\r; DROP TABLE t", "2 statements, not one query, as PostgreSQL reads it"),
                refused("// is a comment to H2 and the parser, an operator to PostgreSQL and MariaDB (the old guard accepted this)",
                        "SELECT 1 //; DROP TABLE t\n", "2 statements, not one query, as PostgreSQL reads it"),
                refused("a ; on the line after a comment", "SELECT 1 -- c\n; DROP TABLE t", "2 statements, not one query"),
                // Quoted names.
                refused("PostgreSQL reads a backtick as an operator character, so the ; inside `...` is code to it",
                        "SELECT 1 AS `a; DROP TABLE t; --`", "statements, not one query, as PostgreSQL reads it"),
                // Client commands and look-alikes: no database reads them as a statement's end, nor as SQL.
                refused("\\g ends a statement in psql and the mariadb client only; to the servers it is a syntax error",
                        "SELECT 1 \\g DROP TABLE t", "does not parse as SQL"),
                refused("\\; is psql's way to send a ; on; to the servers the ; is code",
                        "SELECT 1 \\; DROP TABLE t", "2 statements, not one query"),
                refused("a Greek question mark looks like a ; and is none to any database", "SELECT 1 \u037e DROP TABLE t", "does not parse as SQL"),
                refused("a fullwidth semicolon likewise", "SELECT 1 \uff1b DROP TABLE t", "does not parse as SQL"),
                refused("no database reads a NUL as written: PostgreSQL's protocol cannot carry it, MariaDB stops at it",
                        "SELECT 1 -- \u0000\n; DROP TABLE t", "NUL character"),
                refused("JSqlParser does not take a form feed for whitespace, though the databases do: harmless, refused all the same",
                        "SELECT 1\f", "does not parse as SQL"),
                // Semicolons.
                refused("plain", "SELECT 1; DROP TABLE t", "2 statements, not one query"),
                refused("no space", "SELECT 1;DROP TABLE t", "2 statements, not one query"),
                refused("a comment after the closing ; is a statement of its own to pgjdbc", "SELECT 1; -- done", "goes on after its semicolon"),
                refused("an empty statement after the closing ;", "SELECT 1;;", "goes on after its semicolon"),
                // Not queries.
                refused("DDL", "DROP TABLE t", "not a query"),
                refused("DML", "DELETE FROM t", "not a query"),
                refused("INTO", "SELECT id INTO stolen FROM t", "selects INTO a table"),
                refused("a data-modifying WITH", "WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone", "WITH clause modifies data"),
                refused("EXPLAIN", "EXPLAIN SELECT 1", "not a query"),
                refused("nothing", " \n\t", "empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void accepts(String why, String sql) {
        assertThat(GUARD.refusal(sql)).as(sql).isNull();
    }

    static Stream<Arguments> accepts() {
        return Stream.of(
                accepted("a ; inside a double-quoted name is inside it to every database (a string alias to MariaDB)",
                        "SELECT 1 AS \"a; DROP TABLE t\""),
                accepted("a ; inside a string is inside it to every database", "SELECT 'a;b', 'it''s; fine' AS x"),
                accepted("backslashes that precede no quote end every string at the same quote", "SELECT 1 FROM t WHERE name ~ '\\d+\\.\\w' AND a LIKE 'x\\_%'"),
                accepted("\\\\ is one backslash or two, the string ends at the same quote either way", "SELECT 'a\\\\b', '\\\\' AS x"),
                accepted("E'\\\\n' ends at the same quote in every reading", "SELECT E'\\\\n' AS x"),
                accepted("U&'...' with escapes that precede no quote", "SELECT U&'d\\0061t\\+000061' AS x"),
                accepted("a $ inside a name opens no dollar quote, in PostgreSQL or H2", "SELECT a$x$, ';' FROM t"),
                accepted("backtick names are MariaDB's quoting; PostgreSQL reads them as code, with no ; in it", "SELECT `id`, `name` FROM `t`"),
                accepted("--1 is a comment to PostgreSQL and minus minus one to MariaDB, one query to each", "SELECT 1 --1\n, 2 FROM t"),
                accepted("-- followed by a control character is a comment to MariaDB too", "SELECT 1 --\u000b; DROP TABLE t\nFROM t"),
                accepted("an optimizer hint is a comment to MariaDB and a hint, not a statement, to MySQL", "SELECT /*+ NO_INDEX(t) */ id FROM t"),
                accepted("a ; closing the query, with whitespace after it", "SELECT id FROM t;\n  "),
                accepted("comments every database reads alike", "SELECT id /* the key */ FROM t -- all rows"),
                accepted("an ordinary policy query", "WITH eu AS (SELECT * FROM t WHERE region = 'EU') SELECT id, CASE WHEN region = 'EU'"
                        + " THEN 'REDACTED' ELSE email END AS email FROM t WHERE id NOT IN (SELECT id FROM eu) UNION ALL SELECT 1, 'x' FROM t"));
    }

    private static Arguments refused(String why, String sql, String reason) {
        return Arguments.of(why, sql, reason);
    }

    private static Arguments accepted(String why, String sql) {
        return Arguments.of(why, sql);
    }
}
