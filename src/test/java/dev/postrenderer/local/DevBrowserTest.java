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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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
 * chromedriver (both installed by {@code .ci/run}), reads the site the way a reader would.
 */
@Timeout(240)
class DevBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    static Path work;
    static Path folder;
    static StringWriter log = new StringWriter();
    static DevSession session;
    static ChromeDriver browser;

    @BeforeAll
    static void startTheDevServerAndABrowser() throws IOException {
        assertThat(CHROMIUM).as("Chromium (apt-get install chromium chromium-driver)").exists();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").exists();
        folder = work.resolve("site");
        copy(Path.of("examples/site"), folder);
        session = DevSession.start(folder, Path.of(System.getProperty("s3mock.jar")), work.resolve("s3"), 0,
                Map.of("SITE_NAME", "Example Blog"), new PrintWriter(log, true));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + work.resolve("profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopEverything() {
        if (browser != null) {
            browser.quit();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void aReaderFollowsALinkFromTheFrontPageToAPostWhoseImageLoads() throws IOException {
        browser.get(session.address().toString());
        assertThat(browser.getTitle()).isEqualTo("Example Blog");
        List<WebElement> cards = browser.findElements(By.cssSelector(".post-card h2 a"));
        assertThat(cards).hasSize(7);
        save("front-page.png");

        browser.findElement(By.linkText("Publishing a Blog from a Bucket")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> driver.getCurrentUrl().endsWith("/posts/getting-started/"));

        assertThat(browser.getTitle()).isEqualTo("Publishing a Blog from a Bucket");
        WebElement image = browser.findElement(By.cssSelector(".post-body img"));
        Long width = (Long) ((JavascriptExecutor) browser).executeAsyncScript(
                "const img = arguments[0], done = arguments[arguments.length - 1];"
                        + "if (img.complete) { done(img.naturalWidth); } else { img.onload = () => done(img.naturalWidth);"
                        + " img.onerror = () => done(0); }", image);
        assertThat(width).as("naturalWidth of " + image.getAttribute("src")).isPositive();
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
        save("post-page.png");
    }

    @Test
    void aChangedPostIsPublishedAgainAndADeletedOneDisappears() throws Exception {
        Path post = folder.resolve("posts/no-front-matter.md");
        Files.writeString(post, "# A Post Edited While Watched\n\nNew text.\n");
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
        assertThat(browser.findElements(By.cssSelector(".post-card h2 a"))).hasSize(6);
        assertThat(log.toString()).contains("deleted  posts/my first post.md", "DELETED");
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
