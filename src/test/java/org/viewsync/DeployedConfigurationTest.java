package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.config.ViewSyncProperties;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Services;
import org.viewsync.support.TargetDatabase;

/**
 * The service started from what deploy/kubernetes gives it: the ConfigMap's application.yaml where the Deployment
 * mounts it (./config/ of the working directory, here an additional config location) and the Secret template's keys
 * as a Spring config tree (SPRING_CONFIG_IMPORT, as the Deployment sets it). Only what cannot be reached here is
 * overridden: the databases (the test PostgreSQL, as user postgres) and Immuta (the tests' WireMock Immuta).
 */
class DeployedConfigurationTest {

    static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    @Test
    void theConfigMapAndTheSecretStartTheServiceAndEverySecretKeyIsOneOfItsProperties(@TempDir Path mounts) throws Exception {
        ConfigMap configMap = read("deploy/kubernetes/configmap.yaml", ConfigMap.class);
        Secret secret = read("deploy/kubernetes/secret.template.yaml", Secret.class);
        Deployment deployment = read("deploy/kubernetes/deployment.yaml", Deployment.class);

        Path config = Files.createDirectories(mounts.resolve("config"));
        Files.writeString(config.resolve("application.yaml"), configMap.getData().get("application.yaml"));
        Path secrets = Files.createDirectories(mounts.resolve("secrets"));
        Map<String, String> secretValues = new LinkedHashMap<>();
        for (String key : secret.getStringData().keySet()) {
            // The API key must be the one the fake Immuta accepts; every other value only has to be told apart.
            String value = key.equals("immuta.api-key") ? FakeImmuta.API_KEY : "from-the-secret-" + key;
            Files.writeString(secrets.resolve(key), value);
            secretValues.put(key, value);
        }
        String configImport = container(deployment).getEnv().stream().filter(variable -> variable.getName().equals("SPRING_CONFIG_IMPORT"))
                .findFirst().orElseThrow().getValue().replace("/app/secrets/", secrets + "/");

        int port = Services.freePort();
        String state = Services.freshPostgresState("viewsync_deployed_config");
        TargetDatabase.POSTGRES.execute("DROP SCHEMA IF EXISTS immuta_views CASCADE; CREATE SCHEMA immuta_views");
        List<String> arguments = new ArrayList<>(Services.arguments(Map.of(
                "spring.config.additional-location", "file:" + config + "/",
                "spring.config.import", configImport,
                "server.port", port,
                "spring.jmx.unique-names", true,
                // Test-only: what the ConfigMap points at on a real cluster is not reachable here.
                "spring.datasource.url", state,
                "spring.datasource.username", "postgres",
                "viewsync.targets.pg.url", TargetDatabase.POSTGRES.url,
                "viewsync.targets.pg.username", "postgres",
                "immuta.url", FakeImmuta.url())));

        try (ConfigurableApplicationContext service = Services.start(arguments)) {
            HttpClient anonymous = HttpClient.newHttpClient();
            Container container = container(deployment);
            for (var probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
                String path = probe.getHttpGet().getPath();
                HttpResponse<String> answer = anonymous.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as("probe " + path + ": " + answer.body()).isEqualTo(200);
            }

            ViewSyncProperties properties = service.getBean(ViewSyncProperties.class);
            assertThat(properties.getWebhook().getUrl()).as("from the ConfigMap").isEqualTo("https://immuta-view-sync.apps.example.com/immuta/webhook");
            assertThat(properties.getTargets().get("pg").getSchema()).as("from the ConfigMap").isEqualTo("immuta_views");

            Map<String, ConfigurationPropertiesBean> beans = ConfigurationPropertiesBean.getAll(service);
            secretValues.forEach((key, value) -> assertThat(boundValue(beans, key)).as("the property the Secret's key " + key + " sets")
                    .isEqualTo(value));
        }
    }

    /** The value a @ConfigurationProperties bean holds for the property name, or why none does. */
    static Object boundValue(Map<String, ConfigurationPropertiesBean> beans, String property) {
        for (ConfigurationPropertiesBean bean : beans.values()) {
            String prefix = bean.getAnnotation().prefix();
            if (prefix.isEmpty() || !property.startsWith(prefix + ".")) {
                continue;
            }
            BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(bean.getInstance());
            StringBuilder path = new StringBuilder();
            for (String segment : property.substring(prefix.length() + 1).split("\\.")) {
                Class<?> holder = path.isEmpty() ? null : wrapper.getPropertyType(path.toString());
                if (holder != null && Map.class.isAssignableFrom(holder)) {
                    path.append('[').append(segment).append(']');
                } else {
                    path.append(path.isEmpty() ? "" : ".").append(camelCase(segment));
                }
                if (!wrapper.isReadableProperty(path.toString())) {
                    return "no property " + path + " on " + bean.getInstance().getClass().getName();
                }
            }
            return wrapper.getPropertyValue(path.toString());
        }
        return "no @ConfigurationProperties bean for " + property;
    }

    private static String camelCase(String kebab) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static <T> T read(String file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return KUBERNETES.unmarshal(in, type);
        }
    }
}
