package org.viewsync.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the service reaches the Immuta API. The routes read these values as {@code {{immuta.*}}} placeholders and the
 * paths through {@code ImmutaPaths}.
 *
 * <p>The defaults live in {@code application.yaml}, where the routes' placeholders find them; this class validates them
 * at start-up and documents them for IDEs.
 */
@Validated
@ConfigurationProperties("immuta")
public class ImmutaProperties {

    /** Base URL of the Immuta instance, e.g. {@code https://immuta.example.com}. */
    @NotBlank
    private String url;

    /** API key of a user with APPLICATION_ADMIN, exchanged for a bearer token. Never logged. */
    private String apiKey = "";

    /** Items asked for per page when listing projects, a project's data sources and webhook deliveries. */
    @Min(1)
    @Max(1000)
    private int pageSize;

    /** JSON field holding the SELECT when the view SQL endpoint answers with JSON rather than text/plain. */
    @NotBlank
    private String viewSqlField;

    /**
     * The {@code equalizationState} values of {@code GET /project/{id}/checkEqualizationState} that make a project
     * equalized, for project answers that carry no {@code isEqualized} of their own.
     */
    @NotEmpty
    private List<String> equalizedStates = new ArrayList<>();

    /**
     * Calls this instance has in flight to Immuta at once at most, across every route; fewer while Immuta pushes back
     * ({@code ImmutaCallLimit}). The HTTP client keeps as many connections to Immuta.
     */
    @Min(1)
    @Max(200) // camel-http's connections in all (camel.component.http.max-total-connections)
    private int maxConcurrentCalls;

    /** A call slower than this many times the usual latency lowers the calls in flight by a tenth. */
    @DecimalMin("1.1")
    private double latencyTolerance;

    /** How long no call goes to Immuta after a 429 or 503 without a readable Retry-After. */
    @NotNull
    private Duration pushBackPause;

    @Valid
    private final Paths paths = new Paths();

    @Valid
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String apiKey) { this.apiKey = apiKey; }
    public int getPageSize() { return pageSize; }
    public void setPageSize(int pageSize) { this.pageSize = pageSize; }
    public String getViewSqlField() { return viewSqlField; }
    public void setViewSqlField(String viewSqlField) { this.viewSqlField = viewSqlField; }
    public List<String> getEqualizedStates() { return equalizedStates; }
    public void setEqualizedStates(List<String> equalizedStates) { this.equalizedStates = equalizedStates; }
    public int getMaxConcurrentCalls() { return maxConcurrentCalls; }
    public void setMaxConcurrentCalls(int maxConcurrentCalls) { this.maxConcurrentCalls = maxConcurrentCalls; }
    public double getLatencyTolerance() { return latencyTolerance; }
    public void setLatencyTolerance(double latencyTolerance) { this.latencyTolerance = latencyTolerance; }
    public Duration getPushBackPause() { return pushBackPause; }
    public void setPushBackPause(Duration pushBackPause) { this.pushBackPause = pushBackPause; }
    public Paths getPaths() { return paths; }
    public CircuitBreaker getCircuitBreaker() { return circuitBreaker; }

    @Override
    public String toString() {
        return "ImmutaProperties[url=" + url + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "<unset>" : "<redacted>") + "]";
    }

    /** The circuit breaker around Immuta calls. */
    public static class CircuitBreaker {
        /** Seconds the breaker stays open after a run of failures, before trial calls. */
        @Min(1)
        private int openSeconds;

        public int getOpenSeconds() { return openSeconds; }
        public void setOpenSeconds(int openSeconds) { this.openSeconds = openSeconds; }
    }

    /**
     * Immuta API paths, relative to {@link #url}: URI templates with the placeholders {@code {dataSourceId}},
     * {@code {projectId}}, {@code {webhookId}}, {@code {deliveryId}}, {@code {size}} and {@code {offset}}.
     */
    public static class Paths {
        /** Exchanges the API key for a token. */
        @NotBlank
        private String authenticate;
        /** One data source. */
        @NotBlank
        private String dataSource;
        /** One project. */
        @NotBlank
        private String project;
        /** A project's equalization state. */
        @NotBlank
        private String equalizationState;
        /** All equalized projects, one page. */
        @NotBlank
        private String equalizedProjects;
        /** Equalized projects containing a data source, one page. */
        @NotBlank
        private String projectSearch;
        /** A project's data sources, one page. */
        @NotBlank
        private String projectDataSources;
        /** The policy-enforcing SELECT for one data source in one project. No public Immuta document names it. */
        @NotBlank
        private String viewSql;
        /** Webhook list and registration. */
        @NotBlank
        private String webhooks;
        /** One webhook. */
        @NotBlank
        private String webhook;
        /** Deliveries Immuta could not make, newest first, one page. */
        @NotBlank
        private String webhookHistory;
        /** Asks Immuta to make a recorded delivery again. */
        @NotBlank
        private String webhookRetry;

        public String getAuthenticate() { return authenticate; }
        public void setAuthenticate(String authenticate) { this.authenticate = authenticate; }
        public String getDataSource() { return dataSource; }
        public void setDataSource(String dataSource) { this.dataSource = dataSource; }
        public String getProject() { return project; }
        public void setProject(String project) { this.project = project; }
        public String getEqualizationState() { return equalizationState; }
        public void setEqualizationState(String equalizationState) { this.equalizationState = equalizationState; }
        public String getEqualizedProjects() { return equalizedProjects; }
        public void setEqualizedProjects(String equalizedProjects) { this.equalizedProjects = equalizedProjects; }
        public String getProjectSearch() { return projectSearch; }
        public void setProjectSearch(String projectSearch) { this.projectSearch = projectSearch; }
        public String getProjectDataSources() { return projectDataSources; }
        public void setProjectDataSources(String projectDataSources) { this.projectDataSources = projectDataSources; }
        public String getViewSql() { return viewSql; }
        public void setViewSql(String viewSql) { this.viewSql = viewSql; }
        public String getWebhooks() { return webhooks; }
        public void setWebhooks(String webhooks) { this.webhooks = webhooks; }
        public String getWebhook() { return webhook; }
        public void setWebhook(String webhook) { this.webhook = webhook; }
        public String getWebhookHistory() { return webhookHistory; }
        public void setWebhookHistory(String webhookHistory) { this.webhookHistory = webhookHistory; }
        public String getWebhookRetry() { return webhookRetry; }
        public void setWebhookRetry(String webhookRetry) { this.webhookRetry = webhookRetry; }

        /** Every path by its property name ({@code data-source}, {@code view-sql}, ...). */
        public Map<String, String> all() {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("authenticate", authenticate);
            all.put("data-source", dataSource);
            all.put("project", project);
            all.put("equalization-state", equalizationState);
            all.put("equalized-projects", equalizedProjects);
            all.put("project-search", projectSearch);
            all.put("project-data-sources", projectDataSources);
            all.put("view-sql", viewSql);
            all.put("webhooks", webhooks);
            all.put("webhook", webhook);
            all.put("webhook-history", webhookHistory);
            all.put("webhook-retry", webhookRetry);
            return all;
        }
    }
}
