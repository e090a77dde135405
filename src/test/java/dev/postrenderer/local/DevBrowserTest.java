package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The {@code dev} server in a real browser: Debian's Chromium, driven headless through
 * chromedriver (both installed by {@code ./verify.sh}), reads the site the way a reader would,
 * under the Content-Security-Policy the distribution sends. A test that changes the site starts
 * its own dev session on its own copy of the example site, so that none depends on another; the
 * tests that only read the example site share one session on an unchanged copy.
 */
@org.junit.jupiter.api.Order(2) // among the longest: started first
@Timeout(240)
class DevBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    static Path profile;
    @TempDir
    Path work;
    static ChromeDriver browser;
    private static DevSession exampleSite;
    private final StringWriter log = new StringWriter();
    private DevSession session;

    @BeforeAll
    static void startABrowser() throws IOException {
        assertThat(CHROMIUM).as("Chromium (apt-get install chromium chromium-driver; ./verify.sh does)").exists();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver; ./verify.sh does)").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + profile.resolve("chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopTheBrowser() {
        if (exampleSite != null) {
            exampleSite.close();
            exampleSite = null;
        }
        if (browser != null) {
            browser.quit();
        }
    }

    /** The dev session on the unchanged example site, for tests that only read it; started by the first. */
    private static String exampleSite() throws IOException {
        if (exampleSite == null) {
            Path folder = profile.resolve("example-site");
            copy(Path.of("examples/site"), folder);
            exampleSite = DevSession.start(new DevSession.Setup(folder, Path.of(System.getProperty("s3mock.jar")),
                    profile.resolve("example-s3"), 0, 0), Map.of("SITE_NAME", "Example Blog"),
                    new PrintWriter(new StringWriter(), true));
        }
        browser.manage().logs().get(LogType.BROWSER); // drop what earlier tests left
        return exampleSite.address().toString();
    }

    @AfterEach
    void stopTheSession() {
        if (session != null) {
            session.close();
        }
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    /** A dev session on a fresh copy of the example site, with extra files written into it. */
    private Path start(Map<String, String> env, Map<String, String> extraFiles) throws IOException {
        Path folder = work.resolve("site");
        copy(Path.of("examples/site"), folder);
        for (Map.Entry<String, String> file : extraFiles.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue());
        }
        session = DevSession.start(new DevSession.Setup(folder, Path.of(System.getProperty("s3mock.jar")), work.resolve("s3"), 0, 0), env,
                new PrintWriter(log, true));
        browser.manage().logs().get(LogType.BROWSER); // drop what earlier tests left
        return folder;
    }

    @Test
    void theSeedPostLoadsUnderTheSitesContentSecurityPolicyWithItsCoverImage() throws IOException {
        browser.get(exampleSite() + "posts/ai-art");
        assertThat(browser.getCurrentUrl()).endsWith("/posts/ai-art/");
        assertThat(browser.getTitle()).isEqualTo("The Cutting-Edge Technology Behind AI Art");

        WebElement cover = browser.findElement(By.cssSelector("article .post-cover img"));
        assertThat(cover.getAttribute("alt")).isEqualTo("An image showcasing My Page.");
        assertThat(cover.getAttribute("width")).isEqualTo("400");
        assertThat(naturalWidth(cover)).as("naturalWidth of " + cover.getAttribute("src")).isPositive();
        assertThat(consoleErrors()).as("console errors, CSP violations among them").isEmpty();
        save("post-1280.png");

        browser.manage().window().setSize(new Dimension(375, 812));
        browser.navigate().refresh();
        WebElement small = browser.findElement(By.cssSelector("article .post-cover img"));
        assertThat(naturalWidth(small)).isPositive();
        assertThat(((Number) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth;")).intValue())
                .as("page width at 375 px (no horizontal scrolling)").isLessThanOrEqualTo(375);
        assertThat(consoleErrors()).isEmpty();
        save("post-375.png");
    }

    @Test
    void aPhoneDownloadsThe480PixelVariantOfTheCoverAndNoImageLacksItsSize() throws IOException {
        String site = exampleSite();
        ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCache", Map.of());
        browser.manage().window().setSize(new Dimension(375, 812));
        browser.get(site + "posts/getting-started/");

        WebElement cover = browser.findElement(By.cssSelector("article .post-cover img"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> naturalWidth(cover) > 0);
        assertThat(cover.getAttribute("currentSrc")).endsWith("-480.jpg");
        @SuppressWarnings("unchecked")
        List<String> fetched = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(fetched).as("images fetched").anyMatch(url -> url.contains("/_img/img/pipeline.png/")
                        && url.endsWith("-480.jpg"))
                .noneMatch(url -> url.endsWith("-800.jpg") || url.endsWith("/img/pipeline.png"));
        save("post-variants-375.png");

        for (String page : List.of("", "posts/getting-started/", "posts/ai-art/", "tags/serverless/")) {
            browser.get(site + page);
            assertThat(browser.findElements(By.cssSelector("img"))).as("images of /" + page).isNotEmpty()
                    .allSatisfy(img -> assertThat(img.getAttribute("outerHTML")).contains(" width=\"", " height=\""));
        }
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void theCodePostIsHighlightedInLightAndDarkWithoutScriptAndItsLineNumbersAreNotText() throws IOException {
        String site = exampleSite();
        try {
            for (String scheme : List.of("light", "dark")) {
                browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                        List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
                browser.get(site + "posts/code-blocks/");
                assertThat(browser.getTitle()).isEqualTo("Code blocks that read like an editor");
                WebElement keyword = browser.findElement(By.cssSelector("pre.highlight .k"));
                WebElement block = browser.findElement(By.cssSelector("pre.highlight"));
                assertThat(keyword.getCssValue("color")).as("a keyword's colour in " + scheme)
                        .isEqualTo(scheme.equals("light") ? "rgba(179, 18, 43, 1)" : "rgba(255, 142, 134, 1)");
                assertThat(block.getCssValue("background-color")).as("the code background in " + scheme)
                        .isEqualTo(scheme.equals("light") ? "rgba(243, 244, 246, 1)" : "rgba(30, 31, 36, 1)");
                assertThat(browser.findElement(By.cssSelector("body")).getCssValue("background-color"))
                        .as("the page follows the reader's scheme too")
                        .isEqualTo(scheme.equals("light") ? "rgba(255, 255, 255, 1)" : "rgba(18, 18, 21, 1)");
                assertThat(browser.findElement(By.cssSelector("pre.linenos .line.hl")).getCssValue("background-color"))
                        .as("the highlighted line").isEqualTo(scheme.equals("light") ? "rgba(255, 245, 184, 1)"
                                : "rgba(58, 52, 19, 1)");
                assertThat(browser.findElement(By.cssSelector("pre.linenos code")).getText())
                        .as("a numbered block's text is its code alone").startsWith("/** Publishes one batch. */");
                assertThat(consoleErrors()).as("console errors, CSP violations among them").isEmpty();
                save("code-" + scheme + ".png");
            }
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    @Test
    void aReaderFollowsALinkFromTheFrontPageToAPostWhoseImageLoads() throws IOException {
        browser.get(exampleSite());
        assertThat(browser.getTitle()).isEqualTo("Example Blog");
        assertThat(browser.findElements(By.cssSelector(".post-card h2 a"))).hasSize(8);
        save("front-page.png");

        browser.findElement(By.linkText("Publishing a Blog from a Bucket")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(driver -> driver.getCurrentUrl().endsWith("/posts/getting-started/"));
        assertThat(browser.getTitle()).isEqualTo("Publishing a Blog from a Bucket");
        WebElement image = browser.findElement(By.cssSelector(".post-body img"));
        assertThat(image.getAttribute("loading")).as("the body's first image loads at once").isEqualTo("auto");
        assertThat(image.getDomAttribute("width")).isEqualTo("800");
        assertThat(image.getRect().getWidth()).as("the column the sizes attribute names").isEqualTo(762);
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView();", image);
        assertThat(naturalWidth(image)).as("naturalWidth of " + image.getAttribute("src")).isPositive();
        assertThat(consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void aPageThatBreaksTheContentSecurityPolicyBreaksInDev() throws IOException {
        // trusted raw HTML may hold script (GFM's tag filter escapes <script> itself, not event handlers);
        // the policy still stops it, and the console says so
        start(Map.of("RAW_HTML", "allow"), Map.of("posts/inline-script.md",
                "---\ntitle: Inline script\n---\n<img src=\"../../img/pipeline.png\" alt=\"\""
                        + " onload=\"document.title = 'ran'\">\n"));
        browser.get(session.address() + "posts/inline-script/");
        assertThat(browser.getTitle()).isEqualTo("Inline script");
        assertThat(consoleErrors()).anySatisfy(error -> assertThat(error).contains("Content Security Policy"));
    }

    @Test
    void aChangedPostIsPublishedAgainAndADeletedOneDisappears() throws Exception {
        Path folder = start(Map.of("SITE_NAME", "Example Blog"), Map.of());
        Files.writeString(folder.resolve("posts/no-front-matter.md"), "# A Post Edited While Watched\n\nNew text.\n");
        browser.get(session.address() + "posts/no-front-matter/");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            driver.navigate().refresh();
            return driver.getTitle().equals("A Post Edited While Watched");
        });

        Files.delete(folder.resolve("posts/my first post.md"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            driver.get(session.address() + "posts/my%20first%20post/");
            return driver.getTitle().equals("Page not found");
        });
        browser.get(session.address().toString());
        assertThat(browser.findElements(By.cssSelector(".post-card h2 a"))).hasSize(7);
        assertThat(log.toString()).contains("deleted  posts/my first post.md", "DELETED");
    }

    private static long naturalWidth(WebElement image) {
        return (Long) ((JavascriptExecutor) browser).executeAsyncScript(
                "const img = arguments[0], done = arguments[arguments.length - 1];"
                        + "if (img.complete) { done(img.naturalWidth); } else { img.onload = () => done(img.naturalWidth);"
                        + " img.onerror = () => done(0); }", image);
    }

    /** The console's errors since the last call: failed loads, script errors and Content-Security-Policy violations. */
    private static List<String> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private static void save(String name) throws IOException {
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
