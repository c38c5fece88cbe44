package org.viewsync.targets;

import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;

/**
 * How one database's lexer divides SQL text into code on one side and quoted text and comments on the other. The
 * databases differ: a backslash escapes a quote in MariaDB but not in PostgreSQL (unless standard_conforming_strings
 * is off), {@code $$...$$} is a string in PostgreSQL and H2 but code in MariaDB, {@code /*! ... *}{@code /} is code in
 * MariaDB and a comment elsewhere, {@code --1} is a comment in PostgreSQL and minus minus one in MariaDB. Where two
 * readings of the same text disagree, a semicolon hidden from one is code to the other: the view SQL guard refuses
 * text that any of them reads as more than one statement, whichever database it is meant for.
 */
public enum SqlReading {

    /** PostgreSQL with standard_conforming_strings on, its default since 9.1. */
    POSTGRESQL("PostgreSQL", Rule.ESCAPE_STRING_PREFIX, Rule.DOLLAR_TAGS, Rule.NESTED_COMMENTS, Rule.CARRIAGE_RETURN_ENDS_COMMENT),
    /** PostgreSQL with standard_conforming_strings off: a backslash escapes the next character in '...'. */
    POSTGRESQL_BACKSLASH_ESCAPES("PostgreSQL with standard_conforming_strings off", Rule.BACKSLASH_ESCAPES,
            Rule.ESCAPE_STRING_PREFIX, Rule.DOLLAR_TAGS, Rule.NESTED_COMMENTS, Rule.CARRIAGE_RETURN_ENDS_COMMENT),
    /** MariaDB and MySQL in their default sql_mode: '...' and "..." are strings in which a backslash escapes. */
    MARIADB("MariaDB", Rule.BACKSLASH_ESCAPES, Rule.DOUBLE_QUOTED_STRINGS, Rule.BACKTICK_NAMES, Rule.HASH_COMMENTS,
            Rule.DASH_COMMENT_NEEDS_SPACE, Rule.EXECUTABLE_COMMENTS),
    /** MariaDB and MySQL with NO_BACKSLASH_ESCAPES (which also covers ANSI_QUOTES: "..." without escapes). */
    MARIADB_NO_BACKSLASH_ESCAPES("MariaDB with NO_BACKSLASH_ESCAPES", Rule.BACKTICK_NAMES, Rule.HASH_COMMENTS,
            Rule.DASH_COMMENT_NEEDS_SPACE, Rule.EXECUTABLE_COMMENTS),
    H2("H2", Rule.BACKTICK_NAMES, Rule.DOUBLE_DOLLAR_STRINGS, Rule.SLASH_SLASH_COMMENTS, Rule.NESTED_COMMENTS,
            Rule.CARRIAGE_RETURN_ENDS_COMMENT);

    /** Where one reading departs from the plain SQL standard (quotes doubled inside quotes, -- and /* comments). */
    private enum Rule {
        /** A backslash in '...' (and in "..." where that is a string) escapes the character after it. */
        BACKSLASH_ESCAPES,
        /** E'...' escapes with backslashes whatever the setting (PostgreSQL). */
        ESCAPE_STRING_PREFIX,
        /** "..." is a string, not a name (MariaDB without ANSI_QUOTES). */
        DOUBLE_QUOTED_STRINGS,
        BACKTICK_NAMES,
        /** $$...$$ and $tag$...$tag$ are strings (PostgreSQL). */
        DOLLAR_TAGS,
        /** $$...$$ is a string, without tags (H2). */
        DOUBLE_DOLLAR_STRINGS,
        /** /* opens a comment inside a comment, which then needs two closings. */
        NESTED_COMMENTS,
        /** # starts a comment to the end of the line. */
        HASH_COMMENTS,
        /** -- starts a comment only when a space or control character follows. */
        DASH_COMMENT_NEEDS_SPACE,
        /** // starts a comment to the end of the line. */
        SLASH_SLASH_COMMENTS,
        /** A line comment ends at \r as well as at \n. */
        CARRIAGE_RETURN_ENDS_COMMENT,
        /** /*! ... and /*M! ... are code, not comments (MariaDB, MySQL). */
        EXECUTABLE_COMMENTS
    }

    private final String description;
    private final Set<Rule> rules;

    SqlReading(String description, Rule... rules) {
        this.description = description;
        this.rules = rules.length == 0 ? EnumSet.noneOf(Rule.class) : EnumSet.of(rules[0], rules);
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * What this database makes of the text.
     *
     * @param by      the reading
     * @param code    the characters it reads as SQL code (a semicolon there ends a statement), not as part of a string,
     *                quoted name or comment
     * @param problem why it cannot read the text at all (an unterminated string, an executable comment, ...), or null
     */
    public record Read(SqlReading by, String sql, BitSet code, String problem) {

        /** How many statements the semicolons in the code separate, not counting those that are only whitespace. */
        public int statements() {
            int statements = 0;
            boolean inStatement = false;
            for (int i = code.nextSetBit(0); i >= 0; i = code.nextSetBit(i + 1)) {
                char c = sql.charAt(i);
                if (c == ';') {
                    inStatement = false;
                } else if (!isSpace(c) && !inStatement) {
                    inStatement = true;
                    statements++;
                }
            }
            return statements;
        }

        /** Whether anything but whitespace (a comment, another semicolon) follows the first semicolon in the code. */
        public boolean goesOnAfterSemicolon() {
            for (int i = code.nextSetBit(0); i >= 0; i = code.nextSetBit(i + 1)) {
                if (sql.charAt(i) == ';') {
                    return !sql.substring(i + 1).chars().allMatch(SqlReading::isSpace);
                }
            }
            return false;
        }

    }

    public Read read(String sql) {
        BitSet code = new BitSet(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            char next = i + 1 < sql.length() ? sql.charAt(i + 1) : 0;
            int end;
            String what;
            String tag;
            if (c == '\'') {
                end = quotedEnd(sql, i, '\'', rules.contains(Rule.BACKSLASH_ESCAPES));
                what = "string";
            } else if (c == '"') {
                end = quotedEnd(sql, i, '"', rules.contains(Rule.DOUBLE_QUOTED_STRINGS) && rules.contains(Rule.BACKSLASH_ESCAPES));
                what = "quoted name";
            } else if (c == '`' && rules.contains(Rule.BACKTICK_NAMES)) {
                end = quotedEnd(sql, i, '`', false);
                what = "quoted name";
            } else if (startsLineComment(sql, i, c, next)) {
                end = lineCommentEnd(sql, i);
                what = "comment";
            } else if (c == '/' && next == '*') {
                if (rules.contains(Rule.EXECUTABLE_COMMENTS) && (sql.startsWith("/*!", i) || sql.regionMatches(true, i, "/*M!", 0, 4))) {
                    return new Read(this, sql, code, "an executable comment (/*! or /*M!) at character " + (i + 1));
                }
                end = blockCommentEnd(sql, i);
                what = "comment";
            } else if (c == '$' && (tag = dollarQuoteTag(sql, i)) != null) {
                int close = sql.indexOf(tag, i + tag.length());
                end = close < 0 ? -1 : close + tag.length();
                what = "dollar-quoted string";
            } else if (isWordStart(c)) {
                end = wordEnd(sql, i);
                if (end - i == 1 && (c == 'E' || c == 'e') && rules.contains(Rule.ESCAPE_STRING_PREFIX)
                        && end < sql.length() && sql.charAt(end) == '\'') {
                    code.set(i);
                    int stringEnd = quotedEnd(sql, end, '\'', true);
                    if (stringEnd < 0) {
                        return new Read(this, sql, code, "an unterminated string at character " + (end + 1));
                    }
                    i = stringEnd;
                    continue;
                }
                code.set(i, end);
                i = end;
                continue;
            } else if (c >= '0' && c <= '9' && (rules.contains(Rule.DOLLAR_TAGS) || rules.contains(Rule.DOUBLE_DOLLAR_STRINGS))) {
                // Whether a $ after a number opens a dollar quote depends on how this database's version reads numbers
                // (PostgreSQL 16 reads 0x1F, 15 reads 1abc as junk, 14 as 1 and abc): not worth guessing.
                end = wordEnd(sql, i);
                int dollar = sql.indexOf('$', i);
                if (dollar >= 0 && dollar < end) {
                    return new Read(this, sql, code, "a dollar sign right after a number at character " + (dollar + 1));
                }
                code.set(i, end);
                i = end;
                continue;
            } else {
                code.set(i);
                i++;
                continue;
            }
            if (end < 0) {
                return new Read(this, sql, code, "an unterminated " + what + " at character " + (i + 1));
            }
            i = end;
        }
        return new Read(this, sql, code, null);
    }

    /** Just past the closing quote, or -1. A doubled quote stands for one; with escapes a backslash takes the next character. */
    private static int quotedEnd(String sql, int open, char quote, boolean backslashEscapes) {
        for (int i = open + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i++;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private boolean startsLineComment(String sql, int i, char c, char next) {
        if (c == '-' && next == '-') {
            if (!rules.contains(Rule.DASH_COMMENT_NEEDS_SPACE) || i + 2 >= sql.length()) {
                return true;
            }
            char after = sql.charAt(i + 2);
            return after <= ' ' || after == 0x7f;
        }
        return (c == '#' && rules.contains(Rule.HASH_COMMENTS)) || (c == '/' && next == '/' && rules.contains(Rule.SLASH_SLASH_COMMENTS));
    }

    /** The line break that ends the comment (code again), or the end of the text. */
    private int lineCommentEnd(String sql, int start) {
        for (int i = start; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\n' || (c == '\r' && rules.contains(Rule.CARRIAGE_RETURN_ENDS_COMMENT))) {
                return i;
            }
        }
        return sql.length();
    }

    private int blockCommentEnd(String sql, int open) {
        int depth = 1;
        int i = open + 2;
        while (i < sql.length()) {
            if (sql.startsWith("*/", i)) {
                if (--depth == 0) {
                    return i + 2;
                }
                i += 2;
            } else if (sql.startsWith("/*", i) && rules.contains(Rule.NESTED_COMMENTS)) {
                depth++;
                i += 2;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** The $tag$ (or $$) a dollar-quoted string opens with at i, or null where the $ is code. */
    private String dollarQuoteTag(String sql, int i) {
        if (rules.contains(Rule.DOUBLE_DOLLAR_STRINGS)) {
            return sql.startsWith("$$", i) ? "$$" : null;
        }
        if (!rules.contains(Rule.DOLLAR_TAGS)) {
            return null;
        }
        int end = i + 1;
        // PostgreSQL: a tag is a name without $ that does not start with a digit ($1 is a parameter).
        while (end < sql.length() && isTagCharacter(sql.charAt(end), end == i + 1)) {
            end++;
        }
        return end < sql.length() && sql.charAt(end) == '$' ? sql.substring(i, end + 1) : null;
    }

    private static boolean isTagCharacter(char c, boolean first) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80 || (!first && c >= '0' && c <= '9');
    }

    /** Names run on through letters, digits, _ and $: a $ inside one (a$b$c) opens no dollar quote. */
    private boolean isWordStart(char c) {
        if (this == H2) {
            return c != '$' && Character.isJavaIdentifierStart(c);
        }
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
    }

    private int wordEnd(String sql, int start) {
        int i = start + 1;
        while (i < sql.length() && isWordPart(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private boolean isWordPart(char c) {
        if (this == H2) {
            return Character.isJavaIdentifierPart(c);
        }
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
    }

    /** Whitespace to every database here (PostgreSQL 15 does not take \v). */
    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
