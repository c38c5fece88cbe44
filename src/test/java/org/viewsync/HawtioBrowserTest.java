package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.Notifications;
import org.viewsync.support.Services;
import org.viewsync.support.ViewSyncIntegrationTest;

/**
 * Hawtio as an operator sees it: Debian's Chromium, driven through chromedriver, logs in with the admin's HTTP Basic
 * credentials, opens the Camel plugin, finds the routes by id with their statistics, and opens a route's diagram.
 * The screenshots go to target/hawtio-screenshots/; -Dhawtio.screenshots=docs/images refreshes the ones the README's
 * Monitoring section shows. Without Chromium the test fails: a green run has looked at Hawtio.
 */
class HawtioBrowserTest extends ViewSyncIntegrationTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of(System.getProperty("hawtio.screenshots", "target/hawtio-screenshots"));
    static final Duration PAGE_WAIT = Duration.ofSeconds(60);

    ChromeDriver browser;

    @BeforeEach
    void startChromium(@TempDir Path profile) {
        assertThat(CHROMIUM).as("Chromium for the Hawtio test (Debian: apt-get install -y chromium chromium-driver)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver for the Hawtio test (Debian: apt-get install -y chromium-driver)").isExecutable();
        // Both paths given: Selenium Manager, which would try to download a browser and a driver, is not consulted.
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile);
        browser = new ChromeDriver(driver, options);
        browser.manage().window().setSize(new Dimension(1680, 1000));
    }

    @AfterEach
    void closeChromium() throws IOException {
        if (browser != null) {
            // What the browser showed last, for when a step failed: target/ is not committed.
            Files.write(Path.of("target/hawtio-last-page.png"), browser.getScreenshotAs(OutputType.BYTES));
            Files.writeString(Path.of("target/hawtio-last-page.html"), browser.getPageSource());
            browser.quit();
        }
    }

    @Test
    void theAdminSeesEveryRouteItsStatisticsAndARouteDiagram() throws IOException {
        // Some work first, so that the statistics count something.
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
        deliver(Notifications.addedToProject(1, 7));

        logInAsAdmin();
        browser.get(hawtio() + "camel");
        WebElement tree = await(By.id("camel-tree-view"));
        click(treeNode(tree, "routes"));
        WebElement routes = await(By.id("camel-routes-table"));
        Awaitility.await("route ids in the Routes table").atMost(PAGE_WAIT).ignoreExceptions()
                .until(() -> routes.getText().contains("notification-dispatch"));
        assertThat(routes.getText()).contains("webhook-intake", "notification-dispatch", "added-to-project", "immuta-get-view-sql");
        assertThat(cell("webhook-intake", "State")).isEqualTo("Started");
        // The counts since the shared test service started, as Camel's own JMX statistics hold them.
        assertThat(timesRouted("webhook-intake")).isPositive();
        assertThat(cell("webhook-intake", "Total")).as("deliveries, counted").isEqualTo(String.valueOf(timesRouted("webhook-intake")));
        assertThat(cell("notification-dispatch", "Total")).as("notifications, counted")
                .isEqualTo(String.valueOf(timesRouted("notification-dispatch")));
        screenshot("hawtio-camel-routes.png");

        // Routes are listed by group: the workflows apart from the platform.
        WebElement groups = await(By.id("camel-tree-view"));
        assertThat(groups.findElements(By.xpath(".//li[contains(@id, '-routes-folder-') and substring(@id, string-length(@id) - 6) = '-folder']")))
                .extracting(group -> group.getAttribute("id").replaceFirst(".*-routes-folder-(\\w+)-folder$", "$1"))
                .containsExactlyInAnyOrder("workflows", "platform");
        click(groups.findElement(By.xpath(".//li[contains(@id, '-routes-folder-workflows-folder')]//button[contains(@class, 'node-toggle')]")));
        click(treeNode(await(By.id("camel-tree-view")), "notification-dispatch"));
        click(await(By.linkText("Route Diagram")));
        Awaitility.await("the route diagram drawn").atMost(PAGE_WAIT).ignoreExceptions()
                .until(() -> browser.findElements(By.cssSelector(".react-flow__node")).size() > 3);
        assertThat(browser.findElement(By.cssSelector(".react-flow")).getText()).contains("route-by-notification-type");
        screenshot("hawtio-route-diagram.png");
    }

    @Test
    void anonymousRequestsToHawtioJolokiaMetricsAndAdminAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String jolokiaExec = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=immuta-view-sync,type=routes,name=\\\"webhook-intake\\\"\",\"operation\":\"stop()\"}";
        List<HttpRequest.Builder> requests = List.of(
                get("/actuator/hawtio/"), get("/actuator/hawtio/camel/routes"), get("/actuator/hawtio/jolokia/version"),
                get("/actuator/jolokia/read/org.apache.camel:context=*,type=routes,name=*/RouteId"),
                HttpRequest.newBuilder(uri("/actuator/jolokia")).POST(HttpRequest.BodyPublishers.ofString(jolokiaExec)),
                get("/actuator/prometheus"), get("/actuator/metrics"), get("/admin/failed"), get("/admin/refused"),
                HttpRequest.newBuilder(uri("/admin/reconcile")).POST(HttpRequest.BodyPublishers.noBody()));
        for (HttpRequest.Builder request : requests) {
            HttpRequest anonymous = request.build();
            assertThat(http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode()).as("anonymous " + anonymous).isEqualTo(401);
            HttpRequest wrongPassword = request.copy().header("Authorization", basic(Services.ADMIN_USER, "not-the-password")).build();
            assertThat(http.send(wrongPassword, HttpResponse.BodyHandlers.ofString()).statusCode()).as("wrong password " + anonymous).isEqualTo(401);
        }
        assertThat(camel.getRouteController().getRouteStatus("webhook-intake").isStarted()).as("the refused exec stopped nothing").isTrue();
        HttpRequest admin = get("/actuator/jolokia/read/org.apache.camel:context=*,type=routes,name=*/RouteId")
                .header("Authorization", basic(Services.ADMIN_USER, Services.ADMIN_PASSWORD)).build();
        assertThat(http.send(admin, HttpResponse.BodyHandlers.ofString()).body()).contains("notification-dispatch");
    }

    /** HTTP Basic, as the browser sends it once the admin has answered its credentials prompt. */
    private void logInAsAdmin() {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Authorization", basic(Services.ADMIN_USER, Services.ADMIN_PASSWORD))));
    }

    private WebElement treeNode(WebElement tree, String text) {
        return tree.findElement(By.xpath(".//*[normalize-space(text())='" + text + "']"));
    }

    /** The Routes table's cell in the route's row and the named column. */
    private String cell(String routeId, String column) {
        List<String> headers = browser.findElements(By.cssSelector("#camel-routes-table thead th")).stream()
                .map(header -> header.getAttribute("textContent").trim()).toList();
        WebElement row = browser.findElement(By.xpath("//table[@id='camel-routes-table']//tr[.//*[normalize-space(text())='" + routeId + "']]"));
        return row.findElements(By.tagName("td")).get(headers.indexOf(column)).getAttribute("textContent").trim();
    }

    private WebElement await(By locator) {
        return Awaitility.await(locator.toString()).atMost(PAGE_WAIT).ignoreExceptions()
                .until(() -> browser.findElement(locator), element -> element.isDisplayed());
    }

    private void click(WebElement element) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    private String hawtio() {
        return "http://localhost:" + port + "/actuator/hawtio/";
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
