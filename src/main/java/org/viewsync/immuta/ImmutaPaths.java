package org.viewsync.immuta;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;

/**
 * Fills in the Immuta API paths configured under {@code immuta.paths.*}. A path is a URI template whose placeholders
 * name exchange variables the Immuta routes set before a call: {@code {dataSourceId}}, {@code {projectId}},
 * {@code {webhookId}}, {@code {deliveryId}}, and {@code {size}} and {@code {offset}} of the page being read.
 * The older Camel form ({@code $simple{variable.dataSourceId}}, {@code $simple{variable.page.size}}) is read as the
 * same placeholders.
 */
@Component("immutaPaths")
public class ImmutaPaths {

    /** The placeholders a path may use: what the routes set. */
    public static final Set<String> PLACEHOLDERS = Set.of("dataSourceId", "projectId", "webhookId", "deliveryId", "size", "offset");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern CAMEL_FORM = Pattern.compile("\\$simple\\{variable\\.(?:page\\.)?([A-Za-z]+)}");

    private final ImmutaProperties.Paths paths;

    public ImmutaPaths(ImmutaProperties properties) {
        this.paths = properties.getPaths();
        paths.all().forEach((name, template) -> {
            Set<String> unknown = new TreeSet<>(placeholdersOf(template));
            unknown.removeAll(PLACEHOLDERS);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("immuta.paths." + name + " = '" + template + "' uses " + unknown
                        + "; a path may use only " + new TreeSet<>(PLACEHOLDERS));
            }
        });
    }

    /** The path {@code immuta.paths.<name>} with its placeholders filled in from the exchange's variables. */
    public String path(String name, Exchange exchange) {
        String template = paths.all().get(name);
        if (template == null) {
            throw new IllegalArgumentException("No Immuta path named '" + name + "'; known: " + paths.all().keySet());
        }
        Matcher placeholder = PLACEHOLDER.matcher(normalized(template));
        StringBuilder path = new StringBuilder();
        while (placeholder.find()) {
            Object value = valueOf(placeholder.group(1), exchange);
            if (value == null) {
                throw new IllegalStateException("immuta.paths." + name + " needs {" + placeholder.group(1) + "}, which this call does not have");
            }
            placeholder.appendReplacement(path, Matcher.quoteReplacement(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8)));
        }
        placeholder.appendTail(path);
        return path.toString();
    }

    private static Object valueOf(String placeholder, Exchange exchange) {
        return switch (placeholder) {
            case "size" -> {
                PageCursor page = exchange.getVariable("page", PageCursor.class);
                yield page == null ? null : page.getSize();
            }
            // A page read at once with others has its own offset (variable pageOffset); else the cursor's next one.
            case "offset" -> {
                PageCursor page = exchange.getVariable("page", PageCursor.class);
                Object pageOffset = exchange.getVariable("pageOffset");
                yield pageOffset != null ? pageOffset : page == null ? null : page.getOffset();
            }
            default -> exchange.getVariable(placeholder);
        };
    }

    static Set<String> placeholdersOf(String template) {
        Set<String> names = new TreeSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(normalized(template));
        while (placeholder.find()) {
            names.add(placeholder.group(1));
        }
        return names;
    }

    private static String normalized(String template) {
        return CAMEL_FORM.matcher(template).replaceAll("{$1}");
    }

    /** For the tests and the preflight: every configured path by name. */
    public Map<String, String> all() {
        return paths.all();
    }
}
