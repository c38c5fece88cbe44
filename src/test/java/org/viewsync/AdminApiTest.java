package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/** The admin endpoints as a client reads them: their OpenAPI document, and what each answers. */
class AdminApiTest extends ViewSyncIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOpenApiDocumentDescribesEveryAdminEndpoint() throws Exception {
        HttpResponse<String> answer = send(request("/admin/openapi.json").GET());

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(answer.body());
        assertThat(document.path("info").path("title").asText()).isEqualTo("Immuta View Sync administration");
        List<String> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(operation -> operations.add(operation.getKey().toUpperCase() + " " + path.getKey())));
        assertThat(operations).containsExactlyInAnyOrder(
                "GET /views", "GET /admin/failed", "GET /admin/refused", "GET /admin/reconcile",
                "POST /admin/failed/replay", "POST /admin/failed/{id}/replay", "POST /admin/reconcile", "POST /admin/preflight");
        assertThat(document.path("paths").path("/admin/failed/{id}/replay").path("post").path("summary").asText())
                .contains("404 when there is no failed notification with that id");
    }

    @Test
    void theDocumentAndTheEndpointsAnswerOnlyTheAdmin() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String path : List.of("/admin/openapi.json", "/views", "/admin/failed")) {
            assertThat(anonymous.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as("anonymous GET " + path).isEqualTo(401);
        }
    }

    @Test
    void viewsListsTheManagedViewsAsTheDocumentSays() throws Exception {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        deliver(Notifications.addedToProject(1, 7));
        awaitQuiet();

        HttpResponse<String> views = send(request("/views").GET());

        assertThat(views.statusCode()).isEqualTo(200);
        assertThat(views.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode view = JSON.readTree(views.body()).path(0);
        assertThat(view.path("view").asText()).isEqualTo("clients__customers");
        assertThat(view.path("target").asText()).isEqualTo("postgres");
        assertThat(view.path("projectName").asText()).isEqualTo("Clients");
        assertThat(view.path("dataSourceName").asText()).isEqualTo("Customers");
        assertThat(view.path("sql").asText()).isEqualTo("SELECT id FROM sales.customers");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }
}
