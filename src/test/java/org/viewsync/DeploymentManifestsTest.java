package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.viewsync.support.ViewSyncIntegrationTest;

/**
 * The manifests under deploy/ and the Dockerfile, parsed and checked against the running service: what a deployment
 * gets wrong silently (a probe path that does not exist, a port that does not match, a secret inlined).
 * No Docker engine or cluster here: nothing is built or applied.
 */
class DeploymentManifestsTest extends ViewSyncIntegrationTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final List<JsonNode> MANIFESTS = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                YAML.readerFor(JsonNode.class).readValues(file.toFile()).forEachRemaining(document -> MANIFESTS.add((JsonNode) document));
            }
        }
    }

    @Test
    void everyManifestIsAKubernetesObject() {
        assertThat(MANIFESTS).extracting(manifest -> manifest.path("kind").asText())
                .containsExactlyInAnyOrder("Integration", "ConfigMap", "Deployment", "Secret", "Service", "ServiceAccount", "Route");
        assertThat(MANIFESTS).allSatisfy(manifest -> {
            assertThat(manifest.path("apiVersion").asText()).isNotBlank();
            assertThat(manifest.at("/metadata/name").asText()).startsWith("immuta-view-sync");
        });
    }

    @Test
    void probesPointAtEndpointsThatAnswerWithoutCredentials() throws Exception {
        JsonNode container = container();
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = container.at("/" + probe + "/httpGet/path").asText();
            assertThat(path).as(probe).startsWith("/actuator/health/");
            HttpResponse<String> answer = anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(probe + " " + path).isEqualTo(200);
        }
    }

    @Test
    void thePortsMatchTheServiceTheRouteAndTheImage() throws IOException {
        JsonNode container = container();
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        String portName = container.at("/ports/0/name").asText();
        assertThat(manifest("Service").at("/spec/ports/0/targetPort").asText()).isEqualTo(portName);
        assertThat(manifest("Route").at("/spec/port/targetPort").asText()).isEqualTo(portName);
        assertThat(manifest("Route").at("/spec/to/name").asText()).isEqualTo(manifest("Service").at("/metadata/name").asText());
        assertThat(manifest("Route").at("/spec/path").asText()).as("only the webhook leaves the cluster").isEqualTo("/immuta/webhook");
        assertThat(manifest("Integration").at("/spec/traits/container/port").asInt()).isEqualTo(8080);
        List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("EXPOSE 8080", "USER 10001");
        assertThat(manifest("Deployment").at("/spec/template/spec/securityContext/runAsUser").asInt()).isEqualTo(10001);
        assertThat(application().at("/server/port").asInt()).isEqualTo(8080);
    }

    @Test
    void secretsAreReferencedNeverInlined() {
        JsonNode secret = manifest("Secret");
        secret.path("stringData").fields().forEachRemaining(entry ->
                assertThat(entry.getValue().asText()).as("template value of " + entry.getKey()).isEqualTo("REPLACE_ME"));
        assertThat(secret.path("data").isMissingNode()).isTrue();
        for (JsonNode manifest : MANIFESTS) {
            manifest.findValues("env").forEach(env -> env.forEach(variable ->
                    assertThat(variable.path("name").asText().matches("(?i).*(password|secret|key|token).*") && variable.has("value"))
                            .as(variable.toString()).isFalse()));
            if (!manifest.path("kind").asText().equals("Secret")) {
                assertThat(manifest.toString()).doesNotContainIgnoringCase("REPLACE_ME").doesNotContain("password:");
            }
        }
        String secretName = secret.at("/metadata/name").asText();
        assertThat(volumes(manifest("Deployment"))).contains("secret:" + secretName);
        assertThat(manifest("Integration").at("/spec/traits/mount/resources").toString()).contains("secret:" + secretName + "@/app/secrets");
        assertThat(manifest("Integration").at("/spec/traits/container/image").asText())
                .isEqualTo(container().path("image").asText());
    }

    @Test
    void routesAndSettingsAreMountedWhereThePackagedOnesWouldBe() {
        JsonNode container = container();
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(mount -> mounts.add(mount.path("mountPath").asText()));
        assertThat(mounts).contains("/app/routes", "/app/config", "/app/secrets");
        assertThat(volumes(manifest("Deployment"))).contains("configMap:immuta-view-sync-routes", "configMap:" + manifest("ConfigMap").at("/metadata/name").asText());
        assertThat(manifest("ConfigMap").at("/data/application.yaml").asText()).contains("immuta:", "viewsync:");
        assertThat(container.path("env").toString()).contains("configtree:/app/secrets/");
    }

    @Test
    void shutdownFitsTheGracePeriod() throws IOException {
        JsonNode pod = manifest("Deployment").at("/spec/template/spec");
        int preStop = Integer.parseInt(container().at("/lifecycle/preStop/exec/command/1").asText());
        int shutdown = Integer.parseInt(application().at("/spring/lifecycle/timeout-per-shutdown-phase").asText().replace("s", ""));
        assertThat(preStop + shutdown).isLessThan(pod.path("terminationGracePeriodSeconds").asInt());
        assertThat(application().at("/camel/main/shutdown-timeout").asInt()).isLessThanOrEqualTo(shutdown);
    }

    private static JsonNode manifest(String kind) {
        return MANIFESTS.stream().filter(manifest -> manifest.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    private static JsonNode container() {
        return manifest("Deployment").at("/spec/template/spec/containers/0");
    }

    private static List<String> volumes(JsonNode deployment) {
        List<String> volumes = new ArrayList<>();
        deployment.at("/spec/template/spec/volumes").forEach(volume -> {
            if (volume.has("secret")) {
                volumes.add("secret:" + volume.at("/secret/secretName").asText());
            }
            if (volume.has("configMap")) {
                volumes.add("configMap:" + volume.at("/configMap/name").asText());
            }
        });
        return volumes;
    }

    private static JsonNode application() throws IOException {
        return YAML.readTree(Path.of("application.yaml").toFile());
    }
}
