package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dev} answers as the deployed distribution does: the same URL rules (EdgeRules), the
 * same security headers (the template's response headers policy), the site's 404 page for what
 * is missing, and never the site's internal state.
 */
class DevServerTest {

    @TempDir
    static Path work;
    static DevSession session;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startDevOnTheExampleSite() throws IOException {
        Path folder = work.resolve("site");
        try (Stream<Path> paths = Files.walk(Path.of("examples/site"))) {
            for (Path path : paths.toList()) {
                Path target = folder.resolve(Path.of("examples/site").relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        session = DevSession.start(new DevSession.Setup(folder, Path.of(System.getProperty("s3mock.jar")), work.resolve("s3"), 0, 0),
                Map.of("SITE_NAME", "Example Blog"), new PrintWriter(new StringWriter(), true));
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(session.address() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPostWithoutItsSlashIsAPermanentRedirectToIt() throws Exception {
        HttpResponse<String> response = get("posts/ai-art");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).hasValue("/posts/ai-art/");

        HttpResponse<String> page = get("posts/ai-art/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>The Cutting-Edge Technology Behind AI Art</title>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_site/state.json", "_site/manifest.json", "%5Fsite/state.json", "_site/"})
    void theSitesStateIsNeverServed(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("\"version\"").doesNotContain("listings");
    }

    @Test
    void aMissingPageIsTheSites404PageWithStatus404() throws Exception {
        HttpResponse<String> response = get("posts/nothing-here/");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("<title>Page not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "posts/ai-art/", "posts/ai-art", "feed.xml", "img/cover%20(1).JPG", "_site/state.json",
        "posts/nothing-here/"})
    void everyResponseCarriesTheSecurityHeadersOfTheTemplate(String path) throws Exception {
        Map<String, String> expected = DeliveryHeaders.of(SamTemplate.read(Path.of("template.yaml")));
        assertThat(expected).containsKeys("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
                "Content-Security-Policy");
        HttpResponse<String> response = get(path);
        expected.forEach((name, value) -> assertThat(response.headers().firstValue(name)).as(name).hasValue(value));
    }
}
