package org.viewsync.support;

import static com.github.tomakehurst.wiremock.client.WireMock.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immuta's API as WireMock, shaped as Immuta's published API description says ({@link ImmutaContract} checks every
 * interaction against it) and, where it is silent, like the examples in Immuta's "Generate Views with Webhooks"
 * guide. One server for the whole test JVM, so that Spring can share one application context between test classes.
 */
public final class FakeImmuta {

    public static final String API_KEY = "test-api-key";
    public static final String FIRST_TOKEN = "token-1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ImmutaContract CONTRACT = new ImmutaContract();
    private static WireMockServer server;
    private static String token = FIRST_TOKEN;

    private FakeImmuta() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(20).extensions(CONTRACT));
            server.start();
        }
        return server;
    }

    public static String url() {
        return server().baseUrl();
    }

    /** Every interaction since the last check that Immuta's API description rejects fails the calling test. */
    public static void assertContractKept() {
        CONTRACT.assertKept();
    }

    /**
     * Forgets every stub and request (and contract violations not yet checked, which belong to work an earlier test
     * left running), then answers authentication, the webhook list, registration and an empty delivery history.
     */
    public static void reset() {
        server().resetAll();
        CONTRACT.forget();
        issueToken(FIRST_TOKEN);
        server().stubFor(get("/webhooks").atPriority(10).willReturn(okJson("[]")));
        server().stubFor(post("/webhooks").atPriority(10).willReturn(okJson(
                "{\"createdWebhooks\": [{\"id\": 1, \"name\": \"immuta-view-sync\", \"global\": true, \"actionType\": \"triggered\"}], \"errors\": []}")));
        server().stubFor(get(urlPathEqualTo("/webhooks/history")).atPriority(10).willReturn(okJson("{\"count\": 0, \"records\": []}")));
        // Requests with another token are refused, as Immuta does.
        server().stubFor(any(anyUrl()).atPriority(100).willReturn(error(401, "Unauthorized", "Invalid token")));
    }

    /** From now on, authentication answers this token, and only requests carrying it are served. */
    public static void issueToken(String newToken) {
        token = newToken;
        server().stubFor(post("/bim/apikey/authenticate")
                .withRequestBody(equalToJson("{\"apikey\": \"" + API_KEY + "\"}"))
                .willReturn(okJson("{\"token\": \"" + newToken + "\"}")));
    }

    public static void dataSource(long id, String name, String table, String handler) {
        dataSource(id, name, table, handler, false);
    }

    public static void dataSource(long id, String name, String table, String handler, boolean disabled) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("id", id);
        source.put("name", name);
        source.put("sqlTableName", table);
        source.put("blobHandlerType", handler);
        source.put("disabled", disabled);
        source.put("deleted", false);
        source.put("connectionString", "read_only@db.example.com:5432/data");
        stub(get("/dataSource/" + id), source);
    }

    /** Every authorized request no stub answers is answered 404, as Immuta answers for what does not exist. */
    public static void everythingElseNotFound() {
        server().stubFor(authorized(any(anyUrl())).atPriority(50).willReturn(error(404, "Not Found", "Not found")));
    }

    public static void dataSourceGone(long id) {
        server().stubFor(authorized(get("/dataSource/" + id)).willReturn(error(404, "Not Found", "Data source " + id + " not found")));
    }

    /**
     * A project as {@code GET /project/{id}} answers it, which (unlike the project search's hits) carries no
     * {@code isEqualized}, and its {@code checkEqualizationState}: {@code active} when equalized, else {@code off}.
     */
    public static void project(long id, String name, boolean equalized) {
        Map<String, Object> project = projectJson(id, name, equalized);
        project.remove("isEqualized");
        stub(get("/project/" + id), project);
        equalizationState(id, equalized ? "active" : "off");
    }

    /** What {@code GET /project/{id}/checkEqualizationState} answers. */
    public static void equalizationState(long projectId, String state) {
        stub(get("/project/" + projectId + "/checkEqualizationState"), Map.of("equalizationState", state));
    }

    /** The equalized projects containing the data source, served in pages of the size the service asks for. */
    public static void projectsContaining(long dataSourceId, int pageSize, Map<Long, String> projects) {
        List<Object> hits = new ArrayList<>();
        projects.forEach((id, name) -> hits.add(projectJson(id, name, true)));
        paged(urlPathEqualTo("/project"), Map.of("isEqualized", "true", "dataSourceId", String.valueOf(dataSourceId)),
                pageSize, "hits", hits);
    }

    /** Every equalized project, as the project search without a data source lists them, in pages. */
    public static void equalizedProjects(int pageSize, Map<Long, String> projects) {
        List<Object> hits = new ArrayList<>();
        projects.forEach((id, name) -> hits.add(projectJson(id, name, true)));
        for (int offset = 0; offset <= hits.size(); offset += pageSize) {
            List<Object> page = hits.subList(offset, Math.min(hits.size(), offset + pageSize));
            server().stubFor(authorized(get(urlPathEqualTo("/project"))).withQueryParam("isEqualized", equalTo("true"))
                    .withQueryParam("dataSourceId", absent()).withQueryParam("offset", equalTo(String.valueOf(offset)))
                    .withQueryParam("size", equalTo(String.valueOf(pageSize)))
                    .willReturn(okJson(json(Map.of("count", hits.size(), "hits", page)))));
        }
    }

    /** A project's data sources as the project data sources endpoint lists them, in pages. */
    public static void projectDataSources(long projectId, int pageSize, List<Map<String, Object>> entries) {
        paged(urlPathEqualTo("/project/" + projectId + "/dataSources"), Map.of(), pageSize, "dataSources", new ArrayList<>(entries));
    }

    public static Map<String, Object> projectDataSource(long dataSourceId, String name, String handler) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("dataSourceId", dataSourceId);
        entry.put("dataSourceName", name);
        entry.put("blobHandlerType", handler);
        entry.put("policyHandlerType", "None");
        entry.put("deleted", false);
        entry.put("subscriptionStatus", "owner");
        return entry;
    }

    public static void viewSql(long dataSourceId, long projectId, String sql) {
        server().stubFor(authorized(get(urlPathEqualTo("/dataSource/" + dataSourceId + "/viewSql")))
                .withQueryParam("projectId", equalTo(String.valueOf(projectId)))
                .willReturn(okJson(json(Map.of("sql", sql)))));
    }

    public static void viewSqlAsText(long dataSourceId, long projectId, String sql) {
        server().stubFor(authorized(get(urlPathEqualTo("/dataSource/" + dataSourceId + "/viewSql")))
                .withQueryParam("projectId", equalTo(String.valueOf(projectId)))
                .willReturn(ok(sql).withHeader("Content-Type", "text/plain")));
    }

    /** An error answer as Immuta gives it: a JSON body with the status, its name and a message (Immuta is a hapi server). */
    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String error, String message) {
        return jsonResponse(json(Map.of("statusCode", status, "error", error, "message", message)), status);
    }

    public static int count(RequestPatternBuilder request) {
        return server().countRequestsMatching(request.build()).getCount();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A project search hit (the guide's example, in the fields Immuta's description has). */
    private static Map<String, Object> projectJson(long id, String name, boolean equalized) {
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("id", id);
        project.put("name", name);
        project.put("status", "open");
        project.put("deleted", false);
        project.put("isEqualized", equalized);
        project.put("subscriptionType", "manual");
        project.put("subscriptionStatus", "owner");
        return project;
    }

    private static void paged(com.github.tomakehurst.wiremock.matching.UrlPathPattern path, Map<String, String> query,
                              int pageSize, String field, List<Object> items) {
        for (int offset = 0; offset <= items.size(); offset += pageSize) {
            MappingBuilder request = authorized(get(path)).withQueryParam("offset", equalTo(String.valueOf(offset)))
                    .withQueryParam("size", equalTo(String.valueOf(pageSize)));
            query.forEach((name, value) -> request.withQueryParam(name, equalTo(value)));
            List<Object> page = items.subList(offset, Math.min(items.size(), offset + pageSize));
            server().stubFor(request.willReturn(okJson(json(Map.of("count", items.size(), field, page)))));
        }
    }

    private static void stub(MappingBuilder request, Object body) {
        server().stubFor(authorized(request).willReturn(okJson(json(body))));
    }

    private static MappingBuilder authorized(MappingBuilder request) {
        return request.withHeader("Authorization", equalTo("Bearer " + token));
    }
}
