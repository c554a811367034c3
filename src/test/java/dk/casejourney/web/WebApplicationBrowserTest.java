package dk.casejourney.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.LedgerApplication;
import dk.casejourney.ReadModelsAtHead;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web application in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven through
 * Selenium against the product started once for the class on a random port. Each main page is saved as a
 * screenshot under target/screenshots.
 */
class WebApplicationBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR = "0101701234";
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    /** How long the case views hold back each batch here, so that they lag behind every write. */
    private static final Duration READ_MODEL_DELAY = Duration.ofMillis(300);

    @TempDir
    static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static String base;
    private static String caseId;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static WebDriver browser;

    @BeforeAll
    static void startTheProductAndTheBrowser() throws Exception {
        // The case views lag behind the ledger (LaggingCaseViews), so that a page that shows them before they have
        // what was just recorded is seen to.
        app = new SpringApplicationBuilder(LedgerApplication.class, LaggingCaseViews.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--spring.main.banner-mode=off");
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
        seed();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                             "--window-size=1366,1000", "--lang=da-DK");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "da-DK,da"));
        // The driver Debian installs beside the browser: Selenium Manager would try to download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    /**
     * A source of this test's application only (not a {@code @Configuration}: component scanning would find it for
     * every test that starts the product): each batch of the case views waits {@link #READ_MODEL_DELAY} before it is
     * handled. On a quiet ledger the read models follow a commit at once (common/CoalescingEventStore), so without
     * this a page would seldom be shown before they had what was just recorded.
     */
    static class LaggingCaseViews {
        private static final String HELD_BACK = LaggingCaseViews.class.getName();

        @Bean
        ConfigurerModule laggingCaseViews() {
            return configurer -> configurer.eventProcessing(processing -> processing.registerHandlerInterceptor(
                    "case-views", c -> (unitOfWork, chain) -> {
                        unitOfWork.root().getOrComputeResource(HELD_BACK, key -> {
                            try {
                                Thread.sleep(READ_MODEL_DELAY.toMillis());
                            } catch (InterruptedException stopped) {
                                Thread.currentThread().interrupt();
                            }
                            return Boolean.TRUE;
                        });
                        return chain.proceed();
                    }));
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(base + "/login");
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void noLeftOverDialog() {
        browser.manage().deleteAllCookies();
    }

    // ---- the scenarios ----

    @Test
    void givenEachRole_whenSigningIn_thenTheRoleStartPageOpens() {
        Map<String, String> startPages = Map.of("caseworker", "/app/cases", "manager", "/app/evaluation",
                                                "auditor", "/app/audit", "admin", "/app/projections");
        startPages.forEach((user, page) -> {
            browser.manage().deleteAllCookies();
            signIn(user);
            assertThat(URI.create(browser.getCurrentUrl()).getPath()).as(user).isEqualTo(page);
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(user).isNotBlank();
            assertThat(browser.findElement(By.cssSelector("html")).getAttribute("lang")).isEqualTo("da");
        });
        browser.manage().deleteAllCookies();
        browser.get(base + "/login");
        screenshot("login");
        browser.findElement(By.id("username")).sendKeys("caseworker");
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        assertThat(wait(5).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".alert.error"))).getText())
                .contains("Forkert brugernavn eller adgangskode");
    }

    @Test
    void givenACaseworker_whenSearchingByCpr_thenTheCaseIsFoundAndTheCprIsInNoUrlTitleOrPage() {
        signIn("caseworker");
        browser.findElement(By.id("cpr")).sendKeys("010170-1234");
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        WebElement link = wait(10).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#results a[href*='" + caseId + "']")));
        assertThat(browser.getCurrentUrl()).doesNotContain("0101701234").doesNotContain("010170");
        assertThat(browser.getTitle()).doesNotContain("010170");
        assertThat(browser.findElement(By.id("results")).getText()).doesNotContain("1234");
        screenshot("case-search");
        link.click();
        wait(10).until(ExpectedConditions.urlContains("/app/cases/" + caseId));
        String page = browser.findElement(By.tagName("main")).getText();
        assertThat(page).contains("010170-××××").doesNotContain("0101701234");
        assertThat(browser.findElement(By.id("waiting-for")).getText()).isNotBlank();
        assertThat(page).contains("Indkomst"); // the information the citizen already gave
        assertThat(browser.findElements(By.cssSelector("#timeline ol.timeline > li"))).hasSizeGreaterThanOrEqualTo(5);
        screenshot("case");
    }

    @Test
    void givenACase_whenRecordingAContactThroughTheFormWithADoubleClick_thenItIsRecordedOnce() throws Exception {
        String openCase = openCase("0202802345", "PHONE", "2024-05-06T09:00:00+02:00");
        signIn("caseworker");
        browser.get(base + "/app/cases/" + openCase);
        int before = browser.findElements(By.cssSelector("#timeline ol.timeline > li")).size();
        WebElement submit = fillTheContactForm();
        // Two submissions of the same form as a double click sends them: the second must record nothing.
        ((JavascriptExecutor) browser).executeScript(
                "const f = arguments[0].form; f.dataset.submitted = ''; arguments[0].click(); f.dataset.submitted = ''; arguments[0].click();",
                submit);
        wait(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".alert.success")));
        // The page the form leads to already shows what was recorded, although its read models lag behind.
        assertThat(browser.findElements(By.cssSelector("#timeline ol.timeline > li"))).hasSize(before + 1);
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("Kontakt").contains("7. maj 2024 kl. 10.00");
        assertThat(browser.findElements(By.cssSelector(".alert.pending"))).isEmpty();
        assertThat(inView(browser.findElement(By.cssSelector(".alert.success")))).as("the confirmation in sight").isTrue();
        screenshot("case-recorded");
        Thread.sleep(READ_MODEL_DELAY.multipliedBy(2).toMillis());
        assertThat(contacts(openCase)).isEqualTo(1);
        browser.get(base + "/app/cases/" + openCase);
        assertThat(browser.findElements(By.cssSelector("#timeline ol.timeline > li"))).hasSize(before + 1);
    }

    /** Whether the element is within the browser's window as the page stands (scrolled to its anchor). */
    private static boolean inView(WebElement element) {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
                element));
    }

    /** Fills in the case page's contact form (a phone call on 7 May 2024, 10.00–10.12); returns its button. */
    private static WebElement fillTheContactForm() {
        return fillTheContactForm("PHONE", LocalDateTime.of(2024, 5, 7, 10, 0), LocalDateTime.of(2024, 5, 7, 10, 12));
    }

    /** Fills in the case page's contact form (an inbound question); returns its button. */
    private static WebElement fillTheContactForm(String channel, LocalDateTime started, LocalDateTime ended) {
        browser.findElement(By.cssSelector("#form-contacts summary")).click();
        new Select(browser.findElement(By.id("contacts-f-channel"))).selectByValue(channel);
        new Select(browser.findElement(By.id("contacts-f-direction"))).selectByValue("INBOUND");
        new Select(browser.findElement(By.id("contacts-f-purpose"))).selectByValue("QUESTION");
        setTime("contacts-f-startedAt", started);
        setTime("contacts-f-endedAt", ended);
        return browser.findElement(By.cssSelector("#form-contacts button[type=submit]"));
    }

    @Test
    void givenTheCaseViewsStopped_whenRecordingThroughTheFormOrOpeningANewCase_thenThePagesSayTheyAreBehind()
            throws Exception {
        String openCase = openCase("0505805678", "PHONE", "2024-05-06T09:00:00+02:00");
        signIn("caseworker");
        browser.get(base + "/app/cases/" + openCase);
        int before = browser.findElements(By.cssSelector("#timeline ol.timeline > li")).size();
        StreamingEventProcessor caseViews = app.getBean(EventProcessingConfiguration.class)
                                               .eventProcessor("case-views", StreamingEventProcessor.class).orElseThrow();
        caseViews.shutDown();
        try {
            fillTheContactForm().click();
            wait(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".alert.success")));

            WebElement behind = browser.findElement(By.cssSelector(".alert.pending"));
            assertThat(behind.getText()).contains("viser endnu ikke det, der netop blev registreret");
            assertThat(inView(behind)).as("the notice in sight where the page lands").isTrue();
            screenshot("case-behind");
            assertThat(browser.findElements(By.cssSelector("#timeline ol.timeline > li"))).hasSize(before);
            String opened = post("/api/cases", """
                    {"cpr":"0606806789","citizenGroup":"ELDERLY","serviceArea":"HOUSING_BENEFIT","municipality":"101",
                     "channel":"PHONE","unit":"KBH-KC","occurredAt":"2024-05-06T09:00:00+02:00"}""").get("caseId").asText();
            browser.get(base + "/app/cases/" + opened);
            assertThat(browser.getPageSource()).contains("Sagen er ikke i visningerne endnu");
            screenshot("case-not-shown-yet");
        } finally {
            caseViews.start();
            // The tests after this one need the pages' read models running again, every segment claimed.
            ReadModelsAtHead.await(app.getBean(QueryGateway.class), Duration.ofSeconds(30));
        }
        assertThat(contacts(openCase)).isEqualTo(1);
        browser.get(base + "/app/cases/" + openCase);
        assertThat(browser.findElements(By.cssSelector("#timeline ol.timeline > li"))).hasSize(before + 1);
        assertThat(browser.findElements(By.cssSelector(".alert.pending"))).isEmpty();
    }

    @Test
    void givenACaseOpenedAMomentAgo_whenItsPageIsOpenedAtOnce_thenTheCaseIsShown() throws Exception {
        signIn("caseworker");
        // Opened through the API and its page loaded at once: its read model has not had the opening yet.
        String id = post("/api/cases", """
                {"cpr":"0404804567","citizenGroup":"ELDERLY","serviceArea":"HOUSING_BENEFIT","municipality":"101",
                 "channel":"PHONE","unit":"KBH-KC","occurredAt":"2024-05-06T09:00:00+02:00"}""").get("caseId").asText();
        browser.get(base + "/app/cases/" + id);

        assertThat(browser.findElement(By.cssSelector("h1 code")).getText()).isEqualTo(id);
        assertThat(browser.findElements(By.cssSelector("#timeline ol.timeline > li"))).hasSize(1);
        browser.get(base + "/app/cases/" + id + "x");
        assertThat(browser.getPageSource()).contains("Sagen findes ikke");
    }

    @Test
    void givenBadInput_whenSubmittingTheForms_thenEachRefusalAppearsAtItsField() throws Exception {
        String openCase = openCase("0303903456", "PHONE", "2024-05-06T09:00:00+02:00");
        signIn("caseworker");
        browser.get(base + "/app/cases/" + openCase);
        // The case's own rule: a contact that ends before it starts.
        fillTheContactForm("EMAIL", LocalDateTime.of(2024, 5, 7, 10, 0), LocalDateTime.of(2024, 5, 7, 9, 0)).click();
        WebElement error = wait(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("contacts-f-endedAt-error")));
        assertThat(error.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("contacts-f-endedAt")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("contacts-f-startedAt")).getAttribute("aria-invalid")).isEqualTo("false");
        screenshot("case-refusal");

        // A conflict with the case's state names another field: a handover from a unit that does not hold it.
        browser.findElement(By.cssSelector("#form-handovers summary")).click();
        WebElement from = browser.findElement(By.id("handovers-f-fromUnit"));
        from.clear();
        from.sendKeys("KBH-BS-SYD");
        browser.findElement(By.id("handovers-f-toUnit")).sendKeys("KBH-BO-YDELSE");
        new Select(browser.findElement(By.id("handovers-f-reason"))).selectByValue("CAPACITY");
        browser.findElement(By.cssSelector("#form-handovers button[type=submit]")).click();
        assertThat(wait(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("handovers-f-fromUnit-error"))).getText())
                .contains("KBH-KC");
        // And the page's own check: a required field left empty, in the reader's language.
        browser.findElement(By.cssSelector("#form-decisions summary")).click();
        browser.findElement(By.cssSelector("#form-decisions button[type=submit]")).click();
        assertThat(wait(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("decisions-f-outcome-error"))).getText())
                .isEqualTo("skal udfyldes");
        assertThat(contacts(openCase)).isZero();
    }

    @Test
    void givenAManager_whenReadingTheDashboard_thenEveryChartIsDrawnBesideItsTable() throws Exception {
        signIn("manager");
        browser.get(base + "/app/evaluation?from=2024-01-01&to=2024-12-31");
        List<WebElement> charts = browser.findElements(By.cssSelector("[data-chart]"));
        assertThat(charts).hasSizeGreaterThanOrEqualTo(8);
        wait(10).until(driver -> charts.stream().allMatch(chart -> "true".equals(chart.getAttribute("data-rendered"))));
        for (WebElement chart : charts) {
            WebElement svg = chart.findElement(By.tagName("svg"));
            assertThat(svg.getSize().getHeight()).isPositive();
            assertThat(svg.findElements(By.cssSelector("path")).size()).as(chart.getAttribute("data-chart")).isPositive();
            WebElement block = chart.findElement(By.xpath("ancestor::section[1]"));
            assertThat(block.findElements(By.cssSelector("table tbody tr"))).as(chart.getAttribute("data-chart")).isNotEmpty();
        }
        assertThat(browser.findElement(By.id("kpi-cases")).getText()).startsWith(String.valueOf(seededCases()));
        String page = browser.findElement(By.tagName("main")).getText();
        assertThat(page).doesNotContainPattern("\\d{7,} ?ms"); // durations in words, never milliseconds
        screenshotFull("dashboard");
        // The CSV beside a chart is the same table, as numbers.
        String href = browser.findElement(By.cssSelector("#chart-digital-first a[download]")).getAttribute("href");
        Object csv = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", href);
        assertThat(csv.toString().lines().toList()).first().isEqualTo("month,cases,digital_first_share");
        assertThat(csv.toString().lines().toList()).hasSize(13).allMatch(line -> line.matches("(month,.*|2024-\\d\\d,\\d+,[0-9.]+)"));

        // One click to English, kept for the next page.
        browser.findElement(By.linkText("English")).click();
        wait(10).until(ExpectedConditions.textToBe(By.tagName("h1"), "Evaluation of the channel strategy"));
        browser.get(base + "/app/evaluation/comparison?from=2024-01-01&to=2024-12-31&changeDate=2024-07-01");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Before and after a change");
        assertThat(browser.findElements(By.cssSelector("#comparison-table tbody tr"))).hasSizeGreaterThan(5);
        screenshot("comparison");
        browser.findElement(By.linkText("Dansk")).click();
        wait(10).until(ExpectedConditions.textToBe(By.tagName("h1"), "Før og efter en ændring"));

        browser.get(base + "/app/evaluation/process-map?from=2024-01-01&to=2024-12-31&level=unit");
        WebElement map = wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart][data-rendered=true] svg")));
        assertThat(map.findElements(By.cssSelector("path")).size()).isPositive();
        List<WebElement> rows = browser.findElements(By.cssSelector("[data-edge-count]"));
        assertThat(rows).isNotEmpty();
        screenshot("process-map");
        WebElement slider = browser.findElement(By.id("min-count"));
        int max = Integer.parseInt(slider.getAttribute("max"));
        ((JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", slider, max);
        long visible = rows.stream().filter(WebElement::isDisplayed).count();
        assertThat(visible).isPositive().isLessThanOrEqualTo(rows.size());
        if (rows.stream().anyMatch(row -> Integer.parseInt(row.getAttribute("data-edge-count")) < max)) {
            assertThat(visible).isLessThan(rows.size());
        }
    }

    @Test
    void givenAnAdmin_whenRebuildingFromThePage_thenTheProgressRunsToAVerifiedResult() {
        signIn("admin");
        browser.get(base + "/app/projections");
        assertThat(browser.findElement(By.id("projection-table")).getText()).contains("case-views").contains("journey-figures");
        browser.findElement(By.cssSelector("button[hx-post$='/case-views/rebuilds']")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("rebuild-bar")));
        List<String> phases = new ArrayList<>();
        WebElement verdict = wait(60).until(driver -> {
            // Phase and verdict read in one script, i.e. from one state of the page: htmx replaces the element
            // between two reads, and a verdict found after the phase was read belonged to a later phase.
            List<?> seen = (List<?>) ((JavascriptExecutor) driver).executeScript(
                    "const e = document.getElementById('rebuild');"
                    + " return [e ? e.dataset.phase : null, document.getElementById('rebuild-verdict') !== null];");
            Object phase = seen.get(0);
            if (phase != null && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase))) {
                phases.add(phase.toString());
            }
            return Boolean.TRUE.equals(seen.get(1)) ? driver.findElement(By.id("rebuild-verdict")) : null;
        });
        assertThat(phases).last().isEqualTo("DONE");
        assertThat(verdict.getAttribute("class")).contains("ok");
        WebElement bar = browser.findElement(By.id("rebuild-bar"));
        assertThat(bar.getAttribute("value")).isEqualTo(bar.getAttribute("max"));
        assertThat(browser.findElement(By.id("rebuild")).getText()).contains("hændelser/s");
        screenshot("projections");
    }

    @Test
    void givenAnAuditor_whenLookingAtACaseAsOfAMomentAndItsChain_thenFiguresThenAndTodayAndAVerdict() {
        signIn("auditor");
        browser.findElement(By.id("caseId")).sendKeys(caseId);
        setTime("asOfInput", LocalDateTime.of(2024, 3, 6, 12, 0));
        browser.findElement(By.cssSelector("input[name=basis][value=occurred]")).click();
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("figures-table")));
        assertThat(browser.findElement(By.id("figures-table")).getText()).contains("Betjeningsled");
        browser.findElement(By.cssSelector("button[hx-get$='/verification']")).click();
        WebElement verdict = wait(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#case-verdict .verdict")));
        assertThat(verdict.getAttribute("class")).contains("ok");
        screenshot("audit-case");

        browser.get(base + "/app/audit");
        browser.findElement(By.cssSelector("button[hx-post$='/ledger/verification']")).click();
        assertThat(wait(30).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#ledger-verdict .verdict")))
                           .getAttribute("class")).contains("ok");
        screenshot("audit");

        browser.get(base + "/app/audit/access-log");
        browser.findElement(By.id("cpr")).sendKeys(CPR);
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main table tbody tr")));
        assertThat(browser.getCurrentUrl()).doesNotContain(CPR);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("caseworker");
        screenshot("access-log");
    }

    @Test
    void givenThePagesSecurity_whenAskedWithoutSignInCsrfOrTheRole_thenRefusedAndTheApiIsUnchanged() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base + "/app/cases")).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build()).statusCode()).isEqualTo(302);

        // The browser's language is respected; Danish when it asks for none of the two.
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Accept-Language", "en-GB,en;q=0.8").GET().build())
                           .body()).contains("<h1>Sign in</h1>");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Accept-Language", "fr").GET().build())
                           .body()).contains("<h1>Log ind</h1>");

        String session = sessionOf("manager");
        HttpResponse<String> start = send(HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", session).GET().build());
        assertThat(start.headers().firstValue("Location").orElse("")).endsWith("/app/evaluation");
        // A manager reads no case (as in the API), and no form is accepted without its CSRF token.
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/app/cases/" + caseId)).header("Cookie", session).GET().build())
                           .statusCode()).isEqualTo(403);
        String caseworker = sessionOf("caseworker");
        HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(base + "/app/cases/" + caseId + "/record/resolution"))
                                                      .header("Cookie", caseworker)
                                                      .header("Content-Type", "application/x-www-form-urlencoded")
                                                      .POST(HttpRequest.BodyPublishers.ofString("unit=KBH-KC&occurredAt=2024-03-08T10:00"))
                                                      .build());
        assertThat(forged.statusCode()).isEqualTo(403);
        // The API keeps HTTP Basic and its problem+json answers; a page session does not sign in to it.
        assertThat(api("GET", "/api/cases/" + caseId, null, "caseworker").statusCode()).isEqualTo(200);
        HttpResponse<String> apiWithCookie = send(HttpRequest.newBuilder(URI.create(base + "/api/cases/" + caseId))
                                                             .header("Cookie", caseworker).GET().build());
        assertThat(apiWithCookie.statusCode()).isEqualTo(401);
        assertThat(apiWithCookie.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    }

    // ---- helpers ----

    private static WebDriverWait wait(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private static void signIn(String user) {
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        wait(10).until(ExpectedConditions.urlContains("/app/"));
    }

    /** datetime-local inputs take their value in the browser's own format; the script sets it as the form sends it. */
    private static void setTime(String id, LocalDateTime time) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById(arguments[0]).value = arguments[1];",
                                                     id, time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")));
    }

    private static void screenshot(String name) {
        try {
            Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole page: the window grown to the document's height for the shot. */
    private static void screenshotFull(String name) {
        org.openqa.selenium.Dimension size = browser.manage().window().getSize();
        Number height = (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(size.getWidth(), Math.min(height.intValue() + 100, 6000)));
        try {
            screenshot(name);
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A page session: the login form's CSRF token, then the form sign-in. */
    private static String sessionOf(String user) throws Exception {
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
        assertThat(token.find()).isTrue();
        HttpResponse<String> signedIn = send(HttpRequest.newBuilder(URI.create(base + "/login"))
                                                        .header("Cookie", cookie)
                                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                                "username=" + user + "&password=" + user + "&_csrf="
                                                                        + java.net.URLEncoder.encode(token.group(1), StandardCharsets.UTF_8)))
                                                        .build());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        return signedIn.headers().firstValue("Set-Cookie").map(value -> value.split(";")[0]).orElse(cookie);
    }

    private static HttpResponse<String> api(String method, String path, String json, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                                                 .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                                         (user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(request.build());
    }

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> response = api("POST", path, json, "caseworker");
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    /** Opens a case through the API; its page, loaded at once, waits for the read models itself. */
    private static String openCase(String cpr, String channel, String at) throws Exception {
        return post("/api/cases", """
                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"HOUSING_BENEFIT","municipality":"101",
                 "channel":"%s","unit":"KBH-KC","occurredAt":"%s"}""".formatted(cpr, channel, at)).get("caseId").asText();
    }

    private static long contacts(String id) throws Exception {
        JsonNode history = JSON.readTree(api("GET", "/api/cases/" + id + "/history", null, "caseworker").body());
        long count = 0;
        for (JsonNode entry : history.get("entries")) {
            if ("ContactRecorded".equals(entry.get("type").asText())) {
                count++;
            }
        }
        return count;
    }

    private static int seededCases;

    private static int seededCases() {
        return seededCases;
    }

    /** The README's journey, and a year of varied cases for the dashboard. */
    private static void seed() throws Exception {
        caseId = openCase(CPR, "PHONE", "2024-03-04T08:15:00+01:00");
        String b = "/api/cases/" + caseId;
        post(b + "/contacts", """
                {"channel":"PHONE","direction":"INBOUND","unit":"KBH-KC","staffId":"cc-17","purpose":"APPLICATION",
                 "queuedAt":"2024-03-04T08:10:00+01:00","startedAt":"2024-03-04T08:15:00+01:00","endedAt":"2024-03-04T08:25:00+01:00"}""");
        post(b + "/handovers", """
                {"fromUnit":"KBH-KC","toUnit":"KBH-BS-NORD","reason":"NEEDS_EXPERTISE","occurredAt":"2024-03-04T08:30:00+01:00"}""");
        post(b + "/information-requests", """
                {"informationType":"INCOME","dueDate":"2024-03-11","unit":"KBH-BS-NORD","occurredAt":"2024-03-04T10:30:00+01:00"}""");
        post(b + "/information", """
                {"informationType":"INCOME","channel":"EMAIL","unit":"KBH-BS-NORD","occurredAt":"2024-03-06T09:00:00+01:00"}""");
        post(b + "/handovers", """
                {"fromUnit":"KBH-BS-NORD","toUnit":"KBH-BO-YDELSE","reason":"AUTHORITY_ELSEWHERE","occurredAt":"2024-03-06T11:00:00+01:00"}""");
        post(b + "/work", """
                {"unit":"KBH-BO-YDELSE","staffId":"bo-3","activity":"assess income","startedAt":"2024-03-07T09:00:00+01:00","endedAt":"2024-03-07T09:40:00+01:00"}""");
        post(b + "/decisions", """
                {"outcome":"GRANTED","unit":"KBH-BO-YDELSE","occurredAt":"2024-03-07T10:00:00+01:00"}""");
        post(b + "/resolution", """
                {"unit":"KBH-BO-YDELSE","occurredAt":"2024-03-07T10:05:00+01:00"}""");
        post(b + "/satisfaction", """
                {"score":4,"channel":"SELF_SERVICE","occurredAt":"2024-03-08T10:00:00+01:00"}""");
        seededCases = 1;
        String[] channels = {"SELF_SERVICE", "PHONE", "EMAIL", "IN_PERSON"};
        String[] units = {"KBH-WEB", "KBH-KC", "KBH-KC", "KBH-BS-SYD"};
        for (int i = 0; i < 12; i++) {
            int month = 1 + i;
            String day = "2024-%02d-1%d".formatted(month, i % 3 + 2);
            String at = LocalDateTime.parse(day + "T09:00").atZone(COPENHAGEN).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            String id = post("/api/cases", """
                    {"cpr":"15%02d85%04d","citizenGroup":"%s","serviceArea":"PASSPORT","municipality":"101",
                     "channel":"%s","unit":"%s","occurredAt":"%s"}""".formatted(month, 1000 + i,
                    i % 2 == 0 ? "FAMILY_WITH_CHILDREN" : "YOUTH", channels[i % 4], units[i % 4], at)).get("caseId").asText();
            seededCases++;
            String c = "/api/cases/" + id;
            String start = at(day, "09:00"), end = at(day, "09:20");
            post(c + "/contacts", """
                    {"channel":"%s","direction":"INBOUND","unit":"%s","purpose":"APPLICATION","startedAt":"%s","endedAt":"%s"}"""
                    .formatted(channels[i % 4], units[i % 4], start, end));
            String holder = units[i % 4];
            if (i % 3 != 0) {
                post(c + "/handovers", """
                        {"fromUnit":"%s","toUnit":"KBH-BO-YDELSE","reason":"NEEDS_EXPERTISE","occurredAt":"%s"}"""
                        .formatted(holder, at(day, "10:00")));
                holder = "KBH-BO-YDELSE";
                post(c + "/work", """
                        {"unit":"KBH-BO-YDELSE","activity":"assess","startedAt":"%s","endedAt":"%s"}"""
                        .formatted(at(day, "13:00"), at(day, "13:30")));
            }
            if (i % 4 != 3) {
                post(c + "/decisions", """
                        {"outcome":"GRANTED","unit":"%s","occurredAt":"%s"}""".formatted(holder, at(day, "14:00")));
                post(c + "/resolution", """
                        {"unit":"%s","occurredAt":"%s"}""".formatted(holder, at(day, "14:05")));
                post(c + "/satisfaction", """
                        {"score":%d,"channel":"%s","occurredAt":"%s"}""".formatted(2 + i % 4, channels[i % 4], at(day, "15:00")));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> report = api("GET", "/api/evaluation?from=2024-01-01&to=2024-12-31", null, "manager");
            JsonNode groups = JSON.readTree(report.body()).get("groups");
            return groups != null && groups.size() == 1 && groups.get(0).get("cases").asInt() == seededCases;
        });
    }

    private static String at(String day, String time) {
        return LocalDateTime.parse(day + "T" + time).atZone(COPENHAGEN).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
