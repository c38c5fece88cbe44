package org.viewsync.immuta;

/** Immuta answered a call with an error status; the message carries Immuta's own answer, for the operator's log. */
public class ImmutaApiException extends RuntimeException {

    /** Immuta's answer is quoted up to this length, on one line. */
    static final int MAX_QUOTED = 500;

    private final int statusCode;

    public ImmutaApiException(int statusCode, String method, String uri, String answer) {
        super("Immuta answered HTTP " + statusCode + " to " + method + " " + uri + ": " + quoted(answer));
        this.statusCode = statusCode;
    }

    public int getStatusCode() {
        return statusCode;
    }

    /** The answer on one line (no line of the log can be forged from it), cut to {@link #MAX_QUOTED} characters. */
    static String quoted(String answer) {
        if (answer == null || answer.isBlank()) {
            return "(no body)";
        }
        String line = answer.strip().replaceAll("[\\r\\n\\t]+", " ");
        return line.length() > MAX_QUOTED ? line.substring(0, MAX_QUOTED) + "..." : line;
    }
}
