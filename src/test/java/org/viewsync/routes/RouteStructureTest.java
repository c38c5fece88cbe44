package org.viewsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape an integration team relies on: two layers (routes/workflows, what the team edits; routes/platform, what
 * the workflows run on), a flow that goes one way between route files, every route and step named and described,
 * and every statement in a file of its own whose parameters the endpoint counts right.
 */
class RouteStructureTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DIRECT = Pattern.compile("direct:([A-Za-z0-9{}._-]+)");
    private static final Pattern SQL_FILE = Pattern.compile("sql:classpath:([^?\"\\s]+)\\?[^\"\\s]*?parametersCount=(\\d+)");
    private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9{}]+)*|[a-z0-9{}-]+");

    @Test
    void routesComeInTwoLayersAndEachRouteSaysWhichAndWhatItDoes() {
        Map<Path, JsonNode> files = routeFiles();
        assertThat(files.keySet()).extracting(path -> path.getParent().getFileName().toString()).containsOnly("workflows", "platform");
        List<String> problems = new ArrayList<>();
        files.forEach((file, document) -> document.forEach(item -> {
            JsonNode route = item.has("route") ? item.get("route") : item.has("routeTemplate") ? item.get("routeTemplate").get("route") : null;
            if (route == null) {
                return;
            }
            String id = item.has("route") ? route.path("id").asText() : item.get("routeTemplate").path("id").asText();
            String layer = file.getParent().getFileName().toString();
            if (id.isEmpty() || !KEBAB.matcher(id).matches()) {
                problems.add(file + ": a route without a kebab-case id");
            }
            if ((item.has("route") ? route : item.get("routeTemplate")).path("description").asText().isBlank()) {
                problems.add(file + ": route " + id + " has no description");
            }
            if (!layer.equals(route.path("group").asText())) {
                problems.add(file + ": route " + id + " is in group '" + route.path("group").asText() + "', not '" + layer + "'");
            }
            if (route.path("routeConfigurationId").asText().isBlank()) {
                problems.add(file + ": route " + id + " names no route configuration");
            }
        }));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyStepThatCallsOrDecidesHasAnIdOrItsRouteIsShort() {
        List<String> unnamed = new ArrayList<>();
        routeFiles().forEach((file, document) -> walk(document, node -> {
            for (String decision : List.of("choice", "filter", "split", "loop", "doTry", "enrich")) {
                if (node.has(decision) && node.get(decision).isObject() && !node.get(decision).has("id")) {
                    unnamed.add(file + ": a " + decision + " without an id");
                }
            }
        }));
        assertThat(unnamed).isEmpty();
    }

    /** A cycle between files would tangle the layers: a change in one file could come back to it through another. */
    @Test
    void theFlowBetweenRouteFilesGoesOneWay() {
        Map<String, String> definedIn = new TreeMap<>();
        Map<String, Set<String>> calls = new TreeMap<>();
        routeFiles().forEach((file, document) -> {
            String name = file.getParent().getFileName() + "/" + file.getFileName();
            calls.putIfAbsent(name, new TreeSet<>());
            Map<String, JsonNode> templates = new LinkedHashMap<>();
            routeFiles().values().forEach(any -> any.forEach(item -> {
                if (item.has("routeTemplate")) {
                    templates.put(item.get("routeTemplate").path("id").asText(), item.get("routeTemplate"));
                }
            }));
            document.forEach(item -> {
                if (item.has("route")) {
                    definitionsAndCalls(item.get("route"), Map.of(), name, definedIn, calls);
                } else if (item.has("templatedRoute")) {
                    Map<String, String> parameters = new LinkedHashMap<>();
                    item.get("templatedRoute").path("parameters").forEach(p -> parameters.put(p.path("name").asText(), p.path("value").asText()));
                    JsonNode template = templates.get(item.get("templatedRoute").path("routeTemplateRef").asText());
                    assertThat(template).as(name + ": template " + item.get("templatedRoute").path("routeTemplateRef")).isNotNull();
                    definitionsAndCalls(template.get("route"), parameters, name, definedIn, calls);
                } else if (item.has("rest")) {
                    String rest = item.get("rest").toString();
                    Matcher direct = DIRECT.matcher(rest);
                    while (direct.find()) {
                        calls.get(name).add("direct:" + direct.group(1));
                    }
                }
            });
        });
        Map<String, Set<String>> fileGraph = new TreeMap<>();
        calls.forEach((file, endpoints) -> {
            fileGraph.put(file, new TreeSet<>());
            for (String endpoint : endpoints) {
                String target = definedIn.get(endpoint);
                assertThat(target).as(file + " calls " + endpoint + ", which no route defines").isNotNull();
                if (!target.equals(file)) {
                    fileGraph.get(file).add(target);
                }
            }
        });

        assertThat(cycle(fileGraph)).as("a cycle between route files, in " + fileGraph).isEmpty();
        assertThat(fileGraph.entrySet()).as("the platform never calls back into the workflows but to dispatch a notification")
                .allSatisfy(edges -> {
                    if (edges.getKey().startsWith("platform/") && !edges.getKey().equals("platform/inbox.camel.yaml")) {
                        assertThat(edges.getValue()).noneMatch(target -> target.startsWith("workflows/"));
                    }
                });
    }

    /** Statements live in files; each endpoint counts the file's parameters, so the driver is never asked for them. */
    @Test
    void everyStatementIsAFileWhoseParametersItsEndpointCounts() throws IOException {
        Set<String> used = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        routeTexts().forEach((where, text) -> {
            Matcher sql = SQL_FILE.matcher(text);
            while (sql.find()) {
                used.add(sql.group(1));
                checkCount(where, sql.group(1), Integer.parseInt(sql.group(2)), problems);
            }
        });
        List<String> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/main/resources/sql"))) {
            files = walk.filter(path -> path.toString().endsWith(".sql")).map(path -> Path.of("src/main/resources").relativize(path).toString()).sorted().toList();
        }

        assertThat(problems).isEmpty();
        assertThat(files).as("statements no route uses").allMatch(used::contains);
        assertThat(routeFiles().keySet()).allSatisfy(file -> assertThat(Files.readString(file)).as(file.toString())
                .doesNotContainPattern("(?i)constant: \"?(SELECT|UPDATE|INSERT|DELETE) ").doesNotContain("jdbc:"));
    }

    /** The text of each route as Camel creates it: a plain route as written, a templated one with its parameters filled in. */
    private static Map<String, String> routeTexts() {
        Map<String, JsonNode> templates = new LinkedHashMap<>();
        routeFiles().values().forEach(document -> document.forEach(item -> {
            if (item.has("routeTemplate")) {
                templates.put(item.get("routeTemplate").path("id").asText(), item.get("routeTemplate"));
            }
        }));
        Map<String, String> texts = new LinkedHashMap<>();
        routeFiles().forEach((file, document) -> document.forEach(item -> {
            if (item.has("route")) {
                texts.put(file + " " + item.get("route").path("id").asText(), item.get("route").toString());
            } else if (item.has("templatedRoute")) {
                Map<String, String> parameters = new LinkedHashMap<>();
                item.get("templatedRoute").path("parameters").forEach(p -> parameters.put(p.path("name").asText(), p.path("value").asText()));
                JsonNode template = templates.get(item.get("templatedRoute").path("routeTemplateRef").asText());
                texts.put(file + " " + item.get("templatedRoute").path("routeId").asText(), resolve(template.get("route").toString(), parameters));
            }
        }));
        return texts;
    }

    private static void checkCount(String route, String statement, int counted, List<String> problems) {
        Path sql = Path.of("src/main/resources").resolve(statement);
        if (!Files.exists(sql)) {
            problems.add(route + ": " + statement + " does not exist");
            return;
        }
        try {
            long parameters = Files.readAllLines(sql).stream().filter(line -> !line.strip().startsWith("--"))
                    .mapToLong(line -> line.split(":#", -1).length - 1).sum();
            if (parameters != counted) {
                problems.add(route + ": " + statement + " has " + parameters + " parameters, its endpoint counts " + counted);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void definitionsAndCalls(JsonNode route, Map<String, String> parameters, String file, Map<String, String> definedIn,
                                            Map<String, Set<String>> calls) {
        String from = resolve(route.path("from").path("uri").asText(), parameters);
        if (from.startsWith("direct:")) {
            definedIn.put(from, file);
        }
        String steps = resolve(route.path("from").path("steps").toString(), parameters);
        Matcher direct = DIRECT.matcher(steps);
        while (direct.find()) {
            calls.get(file).add("direct:" + direct.group(1));
        }
        parameters.values().stream().filter(value -> value.startsWith("direct:")).forEach(value -> calls.get(file).add(value));
    }

    private static String resolve(String text, Map<String, String> parameters) {
        String resolved = text;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            resolved = resolved.replace("{{" + parameter.getKey() + "}}", parameter.getValue());
        }
        return resolved;
    }

    private static List<String> cycle(Map<String, Set<String>> graph) {
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (reaches(graph, start, start, path, new LinkedHashSet<>())) {
                path.add(0, start);
                return path;
            }
        }
        return List.of();
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String goal, List<String> path, Set<String> seen) {
        for (String next : graph.getOrDefault(from, Set.of())) {
            if (next.equals(goal) || (seen.add(next) && reaches(graph, next, goal, path, seen))) {
                path.add(0, next);
                return true;
            }
        }
        return false;
    }

    private static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
            node.forEach(child -> walk(child, visit));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, visit));
        }
    }

    private static Map<Path, JsonNode> routeFiles() {
        Map<Path, JsonNode> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(Path.of("routes"))) {
            for (Path file : walk.filter(path -> path.toString().endsWith(".camel.yaml")).toList()) {
                files.put(file, YAML.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
