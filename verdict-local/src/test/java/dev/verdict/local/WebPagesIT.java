package dev.verdict.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.testkit.Api;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web pages in a real browser (Debian's Chromium, driven through its chromedriver) on the stack
 * {@code ./verdict up --demo} starts: a moderator files a decision through the form (after seeing the API's message
 * next to the field it is about), the auditor finds it on the timeline with the chain verified and the state as of
 * a moment, the advertiser appeals it through its page, a reviewer overturns it, and an admin replays the history.
 *
 * <p>With {@code -Dverdict.screenshots=<dir>} it also saves a PNG of each main page there (see the README).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String STATEMENT = "Your organic posts repeated claims about competitors that our review found "
            + "misleading. This is a warning: nothing is restricted now.";

    /** The stack VerdictUpIT used before, when it ran in this JVM; otherwise one of its own (see SharedStack). */
    @RegisterExtension
    static final SharedStack.Use STACK = SharedStack.use();
    private static StackConfig config;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static Path profile;
    private static Path screenshots;
    private static String decisionId;

    @BeforeAll
    static void startStackAndBrowser() throws Exception {
        assertThat(CHROMIUM).as("Chromium (apt-get install chromium chromium-driver; .ci/run does it)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").isExecutable();
        String shots = System.getProperty("verdict.screenshots");
        screenshots = shots == null || shots.isBlank() ? null : Files.createDirectories(Path.of(shots));

        config = STACK.get().config();
        // Files the case, or finds it filed (by VerdictUpIT, on the same stack).
        Demo demo = new Demo(config, STACK.get().progress(), Clock.systemUTC());
        demo.file();
        assertThat(demo.awaitAudited(Demo.EVENTS, Duration.ofSeconds(20))).isEqualTo(Demo.EVENTS);

        profile = Files.createTempDirectory("verdict-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-GB", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            Directories.delete(profile);
        }
    }

    @Test
    @Order(1)
    void thePagesArePublicTheirDataIsNotAndTheBrowserIsNeverAskedForAPassword() throws Exception {
        for (String base : List.of(config.auditUrl() + "/ui/advertisers/" + Demo.ADVERTISER,
                config.moderationUrl() + "/ui/advertisers/" + Demo.ADVERTISER + "/decisions/new")) {
            Api.Response page = new Api(base).get(null, "");
            assertThat(page.status()).as(base).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body()).contains("<script type=\"module\"", "<main id=\"main\"");
            assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    csp -> assertThat(csp).contains("script-src 'self'", "connect-src 'self'"));
        }
        var api = new Api(config.auditUrl());
        Api.Response plain = api.get(null, "/api/v1/advertisers/" + Demo.ADVERTISER + "/history");
        assertThat(plain.status()).isEqualTo(401);
        assertThat(plain.raw().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"verdict\"");
        HttpResponse<String> fromPage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        config.auditUrl() + "/api/v1/advertisers/" + Demo.ADVERTISER + "/history"))
                .header("X-Requested-With", "XMLHttpRequest").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fromPage.statusCode()).isEqualTo(401);
        assertThat(fromPage.headers().firstValue("WWW-Authenticate"))
                .as("no Basic challenge for the pages' own calls: the browser must not open its password dialog")
                .isEmpty();
    }

    @Test
    @Order(2)
    void aModeratorSeesTheApiMessageNextToTheFieldThenIssuesADecisionFromTheCatalogue() throws Exception {
        browser.get(config.moderationUrl() + "/ui/");
        signIn("moderator1");
        type(By.id("open-id"), Demo.ADVERTISER);
        browser.findElement(By.id("open-id")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("issue-decision"))).click();

        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("issue-decision")));
        new Select(browser.findElement(By.id("kind"))).selectByValue("WARNING");
        browser.findElement(By.id("scope-organic")).click();
        new Select(browser.findElement(By.id("policy"))).selectByIndex(1);
        new Select(browser.findElement(By.id("clause"))).selectByValue("4.1");
        assertThat(browser.findElement(By.id("clause-text")).getText()).startsWith("Ads must not promote products");
        // The statement is left empty: the API refuses the command and says why, next to that field.
        browser.findElement(By.id("submit-decision")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("statement-error")));
        assertThat(error.getText()).contains("must not be blank");
        assertThat(browser.findElement(By.id("statement")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("statement")).getAttribute("aria-describedby")).contains("statement-error");
        WebElement summary = form.findElement(By.cssSelector(".problem-summary"));
        assertThat(summary.getAttribute("role")).isEqualTo("alert");
        assertThat(summary.getText()).contains("Statement of reasons: must not be blank").contains("validation-failed");
        assertThat(browser.switchTo().activeElement()).as("the summary takes focus").isEqualTo(summary);
        screenshot("moderator-decision-form-validation");

        // A rule the API checks beyond the fields' shapes: a suspension needs an end.
        new Select(browser.findElement(By.id("kind"))).selectByValue("SUSPENSION");
        type(By.id("statement"), STATEMENT);
        browser.findElement(By.id("submit-decision")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("expires-at-error"), "expiresAt"));
        assertThat(browser.findElements(By.id("statement-error"))).as("the statement is fine now").isEmpty();

        new Select(browser.findElement(By.id("kind"))).selectByValue("WARNING");
        type(By.id("evidence-0-description"), "Three organic posts of March, archived");
        type(By.id("evidence-0-uri"), "urn:verdict:evidence:kaspersky-lab:posts-march");
        type(By.id("evidence-0-sha256"), Demo.sha256("posts"));
        type(By.id("evidence-0-media-type"), "application/pdf");
        browser.findElement(By.id("submit-decision")).click();

        wait.until(ExpectedConditions.urlContains("/ui/advertisers/" + Demo.ADVERTISER + "#decision-"));
        decisionId = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf("#decision-") + 10);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "The decision was issued"));
        WebElement issued = browser.findElement(By.id("decision-" + decisionId));
        assertThat(issued.getText()).contains("Warning on Organic", "In effect", STATEMENT,
                "ads/unacceptable-business-practices, version 2018-01, clause 4.1", Demo.sha256("posts"),
                "by moderator1");
    }

    @Test
    @Order(3)
    void theAuditorSeesTheDecisionOnTheTimelineWithTheChainVerifiedAndTheStateAsOfAMoment() throws Exception {
        awaitAudited(Demo.EVENTS + 1);
        browser.get(config.auditUrl() + "/ui/advertisers/" + Demo.ADVERTISER);
        signIn("auditor1");

        wait.until(ExpectedConditions.textToBe(By.id("chain-status"), "Chain verified: 5 events"));
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("article.event[data-type=AdvertiserWarned]")));
        assertThat(card.getText()).contains("Advertiser warned", "sequence 4", "moderator1 (MODERATOR, person)",
                "Recorded", "Effective", STATEMENT, "clause 4.1", Demo.sha256("posts"));
        assertThat(card.findElement(By.cssSelector(".recorded time")).getAttribute("datetime")).endsWith("Z");
        assertThat(card.findElement(By.cssSelector(".effective time")).getAttribute("datetime")).endsWith("Z");
        WebElement appeal = browser.findElement(By.cssSelector("article.event[data-type=AppealFiled]"));
        assertThat(appeal.getText()).contains("kaspersky (ADVERTISER, person)", "Open letter");
        assertThat(browser.findElements(By.cssSelector("article.event"))).hasSize(Demo.EVENTS + 1);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#state-scopes [data-scope=ADVERTISING]"), "Banned"));
        assertThat(browser.findElement(By.cssSelector("#state-scopes [data-scope=ORGANIC]")).getText()).contains("Warned");
        screenshot("auditor-timeline");

        // Filter by type: only the warning is left.
        browser.findElement(By.cssSelector("#filters input[value=AdvertiserWarned]")).click();
        browser.findElement(By.id("apply-filters")).click();
        wait.until(ExpectedConditions.textToBe(By.id("timeline-status"), "1 event shown."));
        assertThat(browser.findElements(By.cssSelector("article.event"))).hasSize(1);
        assertThat(browser.getCurrentUrl()).endsWith("?type=AdvertiserWarned");
        browser.findElement(By.id("clear-filters")).click();
        wait.until(ExpectedConditions.textToBe(By.id("timeline-status"), (Demo.EVENTS + 1) + " events shown."));

        // As of three days ago, before the ban took effect: advertising was allowed.
        String threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]",
                browser.findElement(By.id("as-of")), threeDaysAgo.substring(0, 19));
        browser.findElement(By.id("show-state")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#state-scopes [data-scope=ADVERTISING]"), "Allowed"));
        assertThat(browser.findElement(By.id("state")).getText()).contains("As of " + threeDaysAgo.replace("T", " ")
                .replace("Z", ""), "None.");
        // The slider steps through moments by keyboard: its last step is now, when the ban is in effect.
        WebElement slider = browser.findElement(By.id("as-of-slider"));
        slider.sendKeys(Keys.END);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#state-scopes [data-scope=ADVERTISING]"), "Banned"));
    }

    @Test
    @Order(4)
    void theDecisionPageShowsTheReasonsTheClauseTheEvidenceAndTheEvents() throws Exception {
        browser.findElement(By.cssSelector("article.event[data-type=AdvertiserWarned] header a")).click();
        wait.until(ExpectedConditions.urlContains("/ui/decisions/" + decisionId));
        WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("decision-status")));
        assertThat(status.getText()).isEqualTo("In effect");
        String text = browser.findElement(By.id("main")).getText();
        assertThat(text).contains("Warning of kaspersky-lab", "Taken by moderator1", STATEMENT,
                "Ads must not promote products", Demo.sha256("posts"), "No appeal was filed.",
                "The decision is in effect", "The event behind this page");

        // The motivating case: the ban, its evidence, the open letter and the review that upheld it.
        String banId = history(Demo.ADVERTISER).get(1).path("payload").path("decisionId").asText();
        browser.get(config.auditUrl() + "/ui/decisions/" + banId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("appeals"), "Upheld"));
        assertThat(browser.findElement(By.id("main")).getText()).contains("Ban of kaspersky-lab", "clause 4.2",
                "Ads must not come from advertisers", Demo.sha256(Demo.NOTICE), "Filed by kaspersky",
                "Upheld by reviewer1", "The 3 events behind this page");
        screenshot("auditor-decision");
    }

    @Test
    @Order(5)
    void theAdvertiserAppealsTheDecisionThroughItsPageBeforeTheDeadline() throws Exception {
        browser.get(config.moderationUrl() + "/ui/advertisers/" + Demo.ADVERTISER);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-out"))).click();
        signIn("kaspersky");
        String prefix = "appeal-" + decisionId.substring(0, 8);
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(prefix + "-form")));
        JsonNode state = JSON.readTree(new Api(config.moderationUrl()).get("kaspersky",
                "/api/v1/advertisers/" + Demo.ADVERTISER).body());
        String deadline = java.util.stream.StreamSupport.stream(state.path("decisions").spliterator(), false)
                .filter(d -> d.path("decisionId").asText().equals(decisionId)).findFirst().orElseThrow()
                .path("appeal").path("deadline").asText();
        assertThat(form.findElement(By.cssSelector(".deadline time")).getAttribute("datetime")).isEqualTo(deadline);
        assertThat(form.findElement(By.cssSelector(".deadline")).getText()).startsWith("You can appeal until 20");
        assertThat(browser.findElement(By.id("main")).getText())
                .as("the advertiser does not see who decided, nor the internal notes")
                .doesNotContain("by moderator1", "Internal notes", "Issue a decision")
                .contains("No appeal can be filed now: the appeal was ruled on.");

        browser.findElement(By.id(prefix + "-form")).findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(prefix + "-statement-error")))
                .getText()).contains("must not be blank");
        type(By.id(prefix + "-statement"), "The posts quoted public test results; we attach them.");
        browser.findElement(By.cssSelector("#" + prefix + "-form details > summary")).click();
        type(By.id(prefix + "-evidence-0-description"), "Published test results, March");
        type(By.id(prefix + "-evidence-0-uri"), "https://example.org/tests-march.pdf");
        type(By.id(prefix + "-evidence-0-sha256"), "not-a-hash");
        type(By.id(prefix + "-evidence-0-media-type"), "application/pdf");
        browser.findElement(By.id(prefix + "-form")).findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.id(prefix + "-evidence-0-sha256-error"))).getText()).contains("must be a lowercase hex SHA-256");
        assertThat(browser.findElements(By.id(prefix + "-statement-error"))).as("fixed, so no longer flagged").isEmpty();
        screenshot("advertiser-appeal-form");
        type(By.id(prefix + "-evidence-0-sha256"), Demo.sha256("tests"));
        browser.findElement(By.id(prefix + "-form")).findElement(By.cssSelector("button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Your appeal was filed"));
        WebElement decision = browser.findElement(By.id("decision-" + decisionId));
        assertThat(decision.getText()).contains("Open", "The posts quoted public test results",
                "No appeal can be filed now: an appeal is open.");
    }

    @Test
    @Order(6)
    void aReviewerOverturnsTheDecisionAndTheAuditorSeesTheOutcome() throws Exception {
        browser.findElement(By.id("sign-out")).click();
        signIn("reviewer1");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Decide this appeal"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("decide-appeal")));
        assertThat(browser.findElement(By.id("appeal-statement")).getText()).contains("public test results");
        browser.findElement(By.id("outcome-overturned")).click();
        type(By.id("rationale"), "The quoted results are public and accurate; the warning is withdrawn.");
        browser.findElement(By.id("submit-ruling")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "The appeal was overturned."));
        assertThat(browser.findElement(By.id("decision-" + decisionId)).getText()).contains("Overturned");

        awaitAudited(Demo.EVENTS + 3);
        browser.get(config.auditUrl() + "/ui/decisions/" + decisionId);
        wait.until(ExpectedConditions.textToBe(By.id("decision-status"), "Overturned"));
        assertThat(browser.findElement(By.id("ending-reason")).getText()).contains("the warning is withdrawn");
        assertThat(browser.findElement(By.id("appeals")).getText()).contains("Overturned by reviewer1",
                "Filed by kaspersky");
    }

    @Test
    @Order(7)
    void theAuditorSearchesAcrossAdvertisersButMayNotSeeTheDeadLetters() throws Exception {
        browser.get(config.auditUrl() + "/ui/?type=AppealFiled");
        wait.until(ExpectedConditions.textToBe(By.id("search-status"), "2 events shown."));
        assertThat(browser.findElement(By.id("results")).getText()).contains("kaspersky-lab", "Appeal filed",
                "public test results", "Open letter");
        screenshot("auditor-search");

        browser.findElement(By.linkText("Dead letters")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Not permitted"));
    }

    @Test
    @Order(8)
    void anAdminSeesNoDeadLettersAndReplaysTheHistoryWithLiveProgress() throws Exception {
        browser.findElement(By.id("sign-out")).click();
        signIn("admin1");
        wait.until(ExpectedConditions.textToBe(By.id("dead-letters-status"),
                "No dead letters: every record on the topic was stored."));
        // Every record on the topic: the demo's and this journey's (Demo.EVENTS + 3) on a stack of its own, and
        // also VerdictUpIT's when it ran on this stack before.
        long records = recordsOnTopic();
        assertThat(records).isGreaterThanOrEqualTo(Demo.EVENTS + 3);
        browser.findElement(By.linkText("Replay")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start-replay"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("replay-state"), "DONE"));
        assertThat(browser.findElement(By.id("replay-status")).getText())
                .isEqualTo("Done: " + records + " records replayed; the histories are equal.");
        assertThat(browser.getCurrentUrl()).contains("/ui/replay?replay=");
        screenshot("admin-replay");
    }

    @Test
    @Order(9)
    void aChangedByteInTheStoredHistoryShowsAsTheChainBrokenAtItsSequence() throws Exception {
        // Someone with database access rewrites the open letter in audit-service's copy of the history.
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl("audit"), Postgres.USER,
                Postgres.PASSWORD)) {
            var update = connection.prepareStatement("UPDATE audit_event SET envelope = replace(envelope, "
                    + "'Open letter', 'Kind letter') WHERE advertiser_id = ? AND sequence = 2");
            update.setString(1, Demo.ADVERTISER);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        browser.get(config.auditUrl() + "/ui/advertisers/" + Demo.ADVERTISER);
        browser.findElement(By.id("sign-out")).click();
        signIn("auditor1");
        wait.until(ExpectedConditions.textToBe(By.id("chain-status"), "Chain broken at sequence 2"));
        assertThat(browser.findElement(By.id("event-2")).getText()).contains("Chain breaks here", "Kind letter");
        assertThat(browser.findElement(By.id("event-1")).getText()).doesNotContain("Chain breaks here");
        screenshot("auditor-timeline-broken-chain");
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void signIn(String user) {
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.switchTo().activeElement()).as("the sign-in form takes focus").isEqualTo(name);
        name.sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        browser.findElement(By.id("sign-in-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("signed-in-user"), user));
    }

    private static void type(By field, String text) {
        WebElement element = browser.findElement(field);
        element.clear();
        element.sendKeys(text);
    }

    /** A PNG of the whole page (beyond the window's height) into the screenshots directory, when one was given. */
    @SuppressWarnings("unchecked")
    private static void screenshot(String name) throws IOException {
        if (screenshots == null) {
            return;
        }
        Map<String, Object> size = (Map<String, Object>) browser.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
                        "width", ((Number) size.get("width")).doubleValue(),
                        "height", Math.min(((Number) size.get("height")).doubleValue(), 2400))));
        Files.write(screenshots.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static void awaitAudited(int events) throws Exception {
        WebDriverWait until = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100));
        until.until(d -> {
            try {
                return history(Demo.ADVERTISER).size() >= events;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Records on the event topic, from its partitions' offsets (nothing is ever deleted from it). */
    private static long recordsOnTopic() {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(dev.verdict.contract.Envelope.TOPIC, Duration.ofSeconds(10))
                    .stream().map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            var begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).entrySet().stream()
                    .mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
        }
    }

    private static List<JsonNode> history(String advertiser) throws IOException {
        var response = new Api(config.auditUrl()).get("auditor1", "/api/v1/advertisers/" + advertiser + "/history");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return java.util.stream.StreamSupport.stream(JSON.readTree(response.body()).path("items").spliterator(), false)
                .toList();
    }
}
