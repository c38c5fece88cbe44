package org.viewsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route file validates against Camel's own YAML DSL schema ({@code schema/camelYamlDsl.json} in the
 * camel-yaml-dsl jar), the one Kaoto and IDEs check against: a file that only Camel's lenient loader accepts would
 * not open in the editor the integration team uses.
 */
class RouteSchemaTest {

    private static final JsonSchema CAMEL_YAML_DSL = load();

    static Stream<Path> routeFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("routes"))) {
            files = walk.filter(path -> path.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void validatesAgainstCamelsYamlDslSchema(Path routes) throws IOException {
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(routes.toFile());

        Set<ValidationMessage> problems = CAMEL_YAML_DSL.validate(document);

        assertThat(problems).as(routes.toString()).isEmpty();
    }

    private static JsonSchema load() {
        try (InputStream schema = org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
