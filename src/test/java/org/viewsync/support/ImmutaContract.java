package org.viewsync.support;

import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.allOf;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.messageHasKey;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Immuta's published API description (Swagger 2.0, API v1; {@code src/test/resources/immuta-api}, cut from Immuta's
 * own description, see the README there) as the oracle of every interaction with the fake Immutas: each request the
 * service sends and each answer a stub or the simulator gives is validated against it. A stub that serves a shape
 * Immuta does not is a test bug; a request the service sends that Immuta would refuse is a service bug. Either fails
 * the test ({@link #assertKept()}).
 *
 * <p>Where the description is silent, the guide's examples ({@code shared/seed/generate-views-with-webhooks.txt}) are
 * the oracle, and these checks step aside:
 * <ul>
 *   <li>{@code GET /dataSource/{id}} answers "a string" in the description; the guide reads {@code blobHandlerType}
 *       from a JSON object, so the answer's body is not checked against the description.</li>
 *   <li>The view SQL endpoint is in no public Immuta document: its path is the service's setting, not checked.</li>
 *   <li>Error statuses (401, 404, 5xx) are not described: their bodies are not checked.</li>
 *   <li>The readiness check's {@code HEAD /} asks only whether Immuta answers HTTP at all.</li>
 *   <li>Dates: the description says {@code format: date} where the guide's examples show date-times
 *       ({@code 2021-01-15T11:10:23.349Z}); date-times are accepted.</li>
 * </ul>
 * A stub can declare that it serves the guide's own example where it differs from the description (stub metadata
 * {@code guideExample}, with the reason); its answer is then not checked, its request still is.
 */
public final class ImmutaContract implements ServeEventListener {

    public static final String GUIDE_EXAMPLE = "guideExample";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiInteractionValidator VALIDATOR = load();

    /** Where the fake Immutas serve view SQL: the service's default path, and any a test configures. */
    private static final java.util.Set<String> VIEW_SQL_PATHS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        VIEW_SQL_PATHS.add("/dataSource/[0-9]+/viewSql");
    }

    private final List<String> violations = new ArrayList<>();

    /** A view SQL path a test configures (immuta.paths.view-sql), as a regular expression of the request path. */
    public static void viewSqlEndpointAt(String pathRegex) {
        VIEW_SQL_PATHS.add(pathRegex);
    }

    @Override
    public String getName() {
        return "immuta-contract";
    }

    @Override
    public void afterComplete(ServeEvent event, Parameters parameters) {
        Request request = request(event);
        boolean guideExample = event.getStubMapping() != null && event.getStubMapping().getMetadata() != null
                && event.getStubMapping().getMetadata().containsKey(GUIDE_EXAMPLE);
        ValidationReport report = guideExample ? VALIDATOR.validateRequest(request)
                : VALIDATOR.validate(request, SimpleResponse.Builder.status(event.getResponse().getStatus())
                        .withContentType(event.getResponse().getHeaders().getContentTypeHeader().mimeTypePart())
                        .withBody(event.getResponse().getBodyAsString()).build());
        if (report.hasErrors()) {
            String messages = report.getMessages().stream().filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                    .map(message -> message.getKey() + ": " + message.getMessage()).collect(Collectors.joining("; "));
            synchronized (violations) {
                violations.add(request.getMethod() + " " + event.getRequest().getUrl() + " -> " + event.getResponse().getStatus() + ": " + messages);
            }
        }
    }

    /** Fails with every interaction since the last call that Immuta's API description rejects, and forgets them. */
    public void assertKept() {
        List<String> found;
        synchronized (violations) {
            found = List.copyOf(violations);
            violations.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("Interactions with the fake Immuta that Immuta's API description rejects:\n  "
                    + String.join("\n  ", found));
        }
    }

    /** Forgets what was seen so far (interactions of an earlier test that ended before its work did). */
    public void forget() {
        synchronized (violations) {
            violations.clear();
        }
    }

    /** Validates one interaction directly, for tests of the checks themselves. */
    public static ValidationReport validate(Request request, com.atlassian.oai.validator.model.Response response) {
        return VALIDATOR.validate(request, response);
    }

    /** The library's own path rules look at the matched operation, which a path the description lacks has none of. */
    private static WhitelistRule requestPathMatches(String regex) {
        return (message, operation, request, response) -> request != null && request.getPath().matches(regex);
    }

    private static Request request(ServeEvent event) {
        URI uri = URI.create(event.getRequest().getUrl());
        SimpleRequest.Builder request = new SimpleRequest.Builder(event.getRequest().getMethod().getName(), uri.getRawPath());
        queryParameters(uri.getRawQuery()).forEach(request::withQueryParam);
        String contentType = event.getRequest().getHeader("Content-Type");
        if (contentType != null) {
            request.withContentType(contentType);
        }
        String authorization = event.getRequest().getHeader("Authorization");
        if (authorization != null) {
            request.withAuthorization(authorization);
        }
        if (event.getRequest().getBody() != null && event.getRequest().getBody().length > 0) {
            request.withBody(event.getRequest().getBodyAsString());
        }
        return request.build();
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        return java.util.Arrays.stream(rawQuery.split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.groupingBy(pair -> decode(pair[0]), java.util.LinkedHashMap::new,
                        Collectors.mapping(pair -> pair.length > 1 ? decode(pair[1]) : "", Collectors.toList())));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /**
     * The description as published, with one repair: the cut removed the human-readable text, among it each response's
     * {@code description}, which Swagger 2.0 requires and the validator's parser insists on; an empty one is put back.
     */
    private static OpenApiInteractionValidator load() {
        try (InputStream in = ImmutaContract.class.getResourceAsStream("/immuta-api/immuta-api-v1.subset.json")) {
            ObjectNode description = (ObjectNode) JSON.readTree(in);
            description.get("paths").forEach(path -> path.forEach(operation ->
                    operation.get("responses").forEach(response -> ((ObjectNode) response).put("description", ""))));
            return OpenApiInteractionValidator.createForInlineApiSpecification(JSON.writeValueAsString(description))
                    .withWhitelist(ValidationErrorsWhitelist.create()
                            .withRule("The data source answer is typed only as a string; the guide's examples are the oracle",
                                    allOf(requestPathMatches("/dataSource/[0-9]+"), messageHasKey("validation.response.body.schema.type")))
                            .withRule("The view SQL endpoint is in no public Immuta document; its path is the service's setting",
                                    allOf((message, operation, request, response) -> request != null
                                                    && VIEW_SQL_PATHS.stream().anyMatch(request.getPath()::matches),
                                            messageHasKey("validation.request.path.missing")))
                            .withRule("The readiness check asks only whether Immuta answers HTTP at all, with HEAD of its base URL",
                                    (message, operation, request, response) -> request != null && request.getMethod() == Request.Method.HEAD
                                            && request.getPath().equals("/"))
                            .withRule("Immuta's error answers are not described",
                                    (message, operation, request, response) -> response != null && response.getStatus() >= 400
                                            && message.getKey().startsWith("validation.response."))
                            .withRule("The description says format date where the guide's examples show date-times",
                                    messageHasKey("validation.response.body.schema.format.date")))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read Immuta's API description", e);
        }
    }
}
