package org.viewsync.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The preflight's checks, each PASS, FAIL or SKIP, with what was seen and what fixes a failure. */
public class PreflightReport {

    public enum Result { PASS, FAIL, SKIP }

    /** One check: its name, its result, what it saw, and for a failure the setting or grant that fixes it. */
    public record Check(String check, Result result, String detail, String fix) {
    }

    private final List<Check> checks = new ArrayList<>();

    void pass(String check, String detail) {
        checks.add(new Check(check, Result.PASS, oneLine(detail), null));
    }

    void fail(String check, String detail, String fix) {
        checks.add(new Check(check, Result.FAIL, oneLine(detail), fix));
    }

    void skip(String check, String detail) {
        checks.add(new Check(check, Result.SKIP, oneLine(detail), null));
    }

    /** A database's or Immuta's message may span lines; the table keeps one line per check. */
    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    public List<Check> getChecks() {
        return List.copyOf(checks);
    }

    public boolean isPassed() {
        return checks.stream().noneMatch(check -> check.result() == Result.FAIL);
    }

    /** The answer of {@code POST /admin/preflight}. */
    public Map<String, Object> answer() {
        return Map.of("passed", isPassed(), "checks", getChecks());
    }

    /** The report as one table, for the log and the console. */
    public String table() {
        int width = checks.stream().mapToInt(check -> check.check().length()).max().orElse(5);
        StringBuilder table = new StringBuilder("Preflight: ").append(isPassed() ? "PASSED" : "FAILED").append('\n');
        for (Check check : checks) {
            table.append(String.format("  %-4s  %-" + width + "s  %s%n", check.result(), check.check(), check.detail()));
            if (check.fix() != null) {
                table.append(String.format("  %-4s  %-" + width + "s  fix: %s%n", "", "", check.fix()));
            }
        }
        return table.toString();
    }
}
