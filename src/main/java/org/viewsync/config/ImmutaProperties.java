package org.viewsync.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the service reaches the Immuta API. The routes read these values as {@code {{immuta.*}}} placeholders.
 *
 * <p>The defaults live in {@code application.yaml}, where the routes' placeholders find them; this class validates them
 * at start-up and documents them for IDEs.
 *
 * <p>Paths are Camel simple templates written with the {@code $simple{...}} form, so that Spring leaves them alone
 * and the route fills in {@code variable.dataSourceId}, {@code variable.projectId} and {@code variable.page} at run time.
 */
@Validated
@ConfigurationProperties("immuta")
public class ImmutaProperties {

    /** Base URL of the Immuta instance, e.g. {@code https://immuta.example.com}. */
    @NotBlank
    private String url;

    /** API key of a user with APPLICATION_ADMIN, exchanged for a bearer token. Never logged. */
    private String apiKey = "";

    /** Items asked for per page when listing projects or a project's data sources. */
    @Min(1)
    @Max(1000)
    private int pageSize;

    /** JSON field holding the SELECT when the view SQL endpoint answers with JSON rather than text/plain. */
    @NotBlank
    private String viewSqlField;

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

    /** Immuta API paths, relative to {@link #url}. */
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
        /** All equalized projects, one page. */
        @NotBlank
        private String equalizedProjects;
        /** Equalized projects containing a data source, one page. */
        @NotBlank
        private String projectSearch;
        /** A project's data sources, one page. */
        @NotBlank
        private String projectDataSources;
        /** The policy-enforcing SELECT for one data source in one project. */
        @NotBlank
        private String viewSql;
        /** Webhook list and registration. */
        @NotBlank
        private String webhooks;

        public String getAuthenticate() { return authenticate; }
        public void setAuthenticate(String authenticate) { this.authenticate = authenticate; }
        public String getDataSource() { return dataSource; }
        public void setDataSource(String dataSource) { this.dataSource = dataSource; }
        public String getProject() { return project; }
        public void setProject(String project) { this.project = project; }
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
    }
}
