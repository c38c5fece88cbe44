package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.Route;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests under deploy/, read as Kubernetes reads them: every document deserialized into fabric8's Kubernetes
 * model with no field left over (a misspelled field, which the API server would drop or refuse, fails), applied to
 * fabric8's mock API server in CRUD mode and read back unchanged; the Camel K Integration validated against the
 * Integration CRD's schema (vendored from apache/camel-k, see the file's header) with unknown fields refused, as
 * {@code kubectl apply --validate=strict} refuses them. Then what a deployment gets wrong silently: ports that do
 * not meet, a secret inlined, mounts where the service does not look, a shutdown longer than the grace period.
 * There is no cluster here: the mock server stands in for the API server, and the CRD's schema for the operator's.
 */
@EnableKubernetesMockClient(crud = true)
class DeploymentManifestsTest {

    static final String NAMESPACE = "viewsync";
    static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path INTEGRATION_CRD = Path.of("src/test/resources/crds/camel.apache.org_integrations.yaml");

    /** Injected by the mock server's extension. */
    static KubernetesClient kubernetes;

    static final Map<Path, List<JsonNode>> DOCUMENTS = new java.util.TreeMap<>();
    static final List<HasMetadata> MANIFESTS = new ArrayList<>();

    @BeforeAll
    static void readEveryManifest() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                List<JsonNode> documents = new ArrayList<>();
                YAML.readerFor(JsonNode.class).readValues(file.toFile()).forEachRemaining(document -> documents.add((JsonNode) document));
                DOCUMENTS.put(file, documents);
                for (JsonNode document : documents) {
                    MANIFESTS.add(strictly(document, file.toString()));
                }
            }
        }
    }

    /** The document as Kubernetes' model reads it; any field the model does not know fails, with where it was. */
    static HasMetadata strictly(JsonNode document, String source) {
        HasMetadata resource = KUBERNETES.convertValue(document, HasMetadata.class);
        if (!(resource instanceof GenericKubernetesResource)) {
            List<String> unknown = new ArrayList<>();
            collectUnknownFields(resource, resource.getKind(), unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError(source + ": fields that " + resource.getApiVersion() + " " + resource.getKind()
                        + " does not have: " + unknown);
            }
        }
        return resource;
    }

    /** fabric8's model keeps fields it does not know in additionalProperties instead of failing: look there. */
    static void collectUnknownFields(Object model, String path, List<String> unknown) {
        if (model instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + index++ + "]", unknown);
            }
        } else if (model instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> collectUnknownFields(value, path + "." + key, unknown));
        } else if (model != null && model.getClass().getName().startsWith("io.fabric8.") && !model.getClass().isEnum()) {
            for (Class<?> type = model.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object value;
                    try {
                        value = field.get(model);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                    if (field.getName().equals("additionalProperties")) {
                        ((Map<?, ?>) value).keySet().forEach(key -> unknown.add(path + "." + key));
                    } else {
                        collectUnknownFields(value, path + "." + field.getName(), unknown);
                    }
                }
            }
        }
    }

    @Test
    void aMisspelledFieldIsRefused() throws IOException {
        JsonNode deployment = DOCUMENTS.get(Path.of("deploy/kubernetes/deployment.yaml")).get(0).deepCopy();
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.set("readinesProbe", container.remove("readinessProbe"));

        assertThatThrownBy(() -> strictly(deployment, "deployment.yaml with a misspelled probe"))
                .hasMessageContaining("Deployment.spec.template.spec.containers[0].readinesProbe");
    }

    @Test
    void everyManifestIsAKubernetesObjectTheApiServerStoresAsWritten() {
        assertThat(MANIFESTS).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("Integration", "ConfigMap", "Deployment", "Secret", "Service", "ServiceAccount", "Route");
        kubernetes.apiextensions().v1().customResourceDefinitions().resource(integrationCrd()).create();

        for (HasMetadata manifest : MANIFESTS) {
            assertThat(manifest.getMetadata().getName()).startsWith("immuta-view-sync");
            HasMetadata stored = kubernetes.resource(manifest).inNamespace(NAMESPACE).create();
            HasMetadata readBack = manifest instanceof GenericKubernetesResource
                    ? kubernetes.genericKubernetesResources(manifest.getApiVersion(), manifest.getKind()).inNamespace(NAMESPACE)
                            .withName(manifest.getMetadata().getName()).get()
                    : kubernetes.resources(manifest.getClass()).inNamespace(NAMESPACE).withName(manifest.getMetadata().getName()).get();
            assertThat(stored).as(manifest.getKind() + " created").isNotNull();
            assertThat(withoutServerFields(readBack)).as(manifest.getKind() + " read back").isEqualTo(withoutServerFields(manifest));
        }
    }

    @Test
    void theCamelKIntegrationMatchesTheIntegrationCrdSchema() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strictSchema(integrationSchema()));
        JsonNode integration = DOCUMENTS.get(Path.of("deploy/camel-k/integration.yaml")).get(0);

        assertThat(schema.validate(integration)).extracting(ValidationMessage::getMessage).isEmpty();

        ObjectNode misspelled = integration.deepCopy();
        ((ObjectNode) misspelled.at("/spec/traits/container")).put("imagePulPolicy", "Always");
        assertThat(schema.validate(misspelled)).extracting(ValidationMessage::getMessage).as("a misspelled trait field")
                .anySatisfy(message -> assertThat(message).contains("imagePulPolicy"));
    }

    @Test
    void probesPointAtTheOpenHealthGroups() {
        Container container = container();
        assertThat(List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe()))
                .allSatisfy(probe -> {
                    assertThat(probe.getHttpGet().getPath()).startsWith("/actuator/health/");
                    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(container.getPorts().get(0).getName());
                });
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
    }

    @Test
    void thePortsMatchTheServiceTheRouteAndTheImage() throws IOException {
        Container container = container();
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);
        String portName = container.getPorts().get(0).getName();
        Service service = manifest(Service.class);
        Route route = manifest(Route.class);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo(portName);
        assertThat(service.getSpec().getSelector()).isEqualTo(manifest(Deployment.class).getSpec().getTemplate().getMetadata().getLabels());
        assertThat(route.getSpec().getPort().getTargetPort().getStrVal()).isEqualTo(portName);
        assertThat(route.getSpec().getTo().getName()).isEqualTo(service.getMetadata().getName());
        assertThat(route.getSpec().getPath()).as("only the webhook leaves the cluster").isEqualTo("/immuta/webhook");
        assertThat(integration().at("/spec/traits/container/port").asInt()).isEqualTo(8080);
        List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("EXPOSE 8080", "USER 10001");
        assertThat(podSpec().getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(podSpec().getServiceAccountName()).isEqualTo(manifest(ServiceAccount.class).getMetadata().getName());
        assertThat(application().at("/server/port").asInt()).isEqualTo(8080);
    }

    @Test
    void secretsAreReferencedNeverInlined() {
        Secret secret = manifest(Secret.class);
        assertThat(secret.getStringData()).isNotEmpty().allSatisfy((key, value) -> assertThat(value).as(key).isEqualTo("REPLACE_ME"));
        assertThat(secret.getData()).isNullOrEmpty();
        for (HasMetadata manifest : MANIFESTS) {
            if (!(manifest instanceof Secret)) {
                assertThat(KUBERNETES.asYaml(manifest)).doesNotContainIgnoringCase("REPLACE_ME").doesNotContain("password:");
            }
        }
        assertThat(container().getEnv()).allSatisfy(variable ->
                assertThat(variable.getName().matches("(?i).*(password|secret|key|token).*") && variable.getValue() != null)
                        .as(variable.getName()).isFalse());
        assertThat(podSpec().getVolumes()).extracting(volume -> volume.getSecret() == null ? null : volume.getSecret().getSecretName())
                .contains(secret.getMetadata().getName());
        assertThat(integration().at("/spec/traits/mount/resources").toString()).contains("secret:" + secret.getMetadata().getName() + "@/app/secrets");
        assertThat(integration().at("/spec/traits/container/image").asText()).isEqualTo(container().getImage());
    }

    @Test
    void routesSettingsAndSecretsAreMountedWhereTheServiceLooks() {
        Container container = container();
        Map<String, String> volumeByMount = new java.util.HashMap<>();
        container.getVolumeMounts().forEach(mount -> volumeByMount.put(mount.getMountPath(), mount.getName()));
        Map<String, Volume> volumes = new java.util.HashMap<>();
        podSpec().getVolumes().forEach(volume -> volumes.put(volume.getName(), volume));

        // WORKDIR /app: Spring Boot reads ./config/application.yaml, RoutesLocation ./routes/workflows and ./routes/platform,
        // SPRING_CONFIG_IMPORT the secrets.
        assertThat(volumes.get(volumeByMount.get("/app/config")).getConfigMap().getName()).isEqualTo(manifest(ConfigMap.class).getMetadata().getName());
        assertThat(volumes.get(volumeByMount.get("/app/routes/workflows")).getConfigMap().getName()).isEqualTo("immuta-view-sync-workflows");
        assertThat(volumes.get(volumeByMount.get("/app/routes/platform")).getConfigMap().getName()).isEqualTo("immuta-view-sync-platform");
        assertThat(integration().at("/spec/traits/mount/resources").toString())
                .contains("configmap:immuta-view-sync-workflows@/app/routes/workflows", "configmap:immuta-view-sync-platform@/app/routes/platform");
        assertThat(volumes.get(volumeByMount.get("/app/secrets")).getSecret().getSecretName()).isEqualTo(manifest(Secret.class).getMetadata().getName());
        assertThat(volumes.get(volumeByMount.get("/tmp")).getEmptyDir()).as("/tmp writable under a read-only root").isNotNull();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getEnv()).anySatisfy(variable -> {
            assertThat(variable.getName()).isEqualTo("SPRING_CONFIG_IMPORT");
            assertThat(variable.getValue()).isEqualTo("optional:configtree:/app/secrets/");
        });
        assertThat(manifest(ConfigMap.class).getData()).containsOnlyKeys("application.yaml");
        assertThat(integration().at("/spec/traits/environment/vars").toString()).contains("SPRING_CONFIG_IMPORT=optional:configtree:/app/secrets/");
    }

    @Test
    void shutdownFitsTheGracePeriod() throws IOException {
        int preStop = Integer.parseInt(container().getLifecycle().getPreStop().getExec().getCommand().get(1));
        int shutdown = Integer.parseInt(application().at("/spring/lifecycle/timeout-per-shutdown-phase").asText().replace("s", ""));
        assertThat(preStop + shutdown).isLessThan(podSpec().getTerminationGracePeriodSeconds().intValue());
        assertThat(application().at("/camel/main/shutdown-timeout").asInt()).isLessThanOrEqualTo(shutdown);
    }

    /** What the API server adds or changes on create, and what differs only in how the model holds it. */
    private static JsonNode withoutServerFields(HasMetadata resource) {
        ObjectNode tree = (ObjectNode) YAML.valueToTree(KUBERNETES.convertValue(resource, Map.class));
        ObjectNode metadata = (ObjectNode) tree.get("metadata");
        metadata.remove(List.of("namespace", "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"));
        tree.remove("status");
        return tree;
    }

    static CustomResourceDefinition integrationCrd() {
        try (InputStream crd = Files.newInputStream(INTEGRATION_CRD)) {
            return KUBERNETES.unmarshal(crd, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The v1 version's openAPIV3Schema, read as plain YAML so that its x-kubernetes-* markers are kept. */
    static JsonNode integrationSchema() throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        YAML.readerFor(JsonNode.class).readValues(INTEGRATION_CRD.toFile()).forEachRemaining(document -> documents.add((JsonNode) document));
        for (JsonNode version : documents.stream().filter(document -> document.has("spec")).findFirst().orElseThrow().at("/spec/versions")) {
            if (version.path("name").asText().equals("v1")) {
                return version.at("/schema/openAPIV3Schema");
            }
        }
        throw new IllegalStateException("no v1 in " + INTEGRATION_CRD);
    }

    /**
     * Kubernetes prunes fields a structural schema does not declare, and strict validation refuses them: every object
     * that declares its properties, and does not say x-kubernetes-preserve-unknown-fields, gets additionalProperties false.
     */
    static JsonNode strictSchema(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        closeObjects(copy);
        return copy;
    }

    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.forEach(DeploymentManifestsTest::closeObjects);
        } else if (node != null && node.isArray()) {
            node.forEach(DeploymentManifestsTest::closeObjects);
        }
    }

    private static <T extends HasMetadata> T manifest(Class<T> type) {
        return MANIFESTS.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static JsonNode integration() {
        return DOCUMENTS.get(Path.of("deploy/camel-k/integration.yaml")).get(0);
    }

    private static PodSpec podSpec() {
        return manifest(Deployment.class).getSpec().getTemplate().getSpec();
    }

    private static Container container() {
        return podSpec().getContainers().get(0);
    }

    private static JsonNode application() throws IOException {
        return YAML.readTree(Path.of("application.yaml").toFile());
    }

    static Set<String> secretKeys() {
        return manifest(Secret.class).getStringData().keySet();
    }
}
