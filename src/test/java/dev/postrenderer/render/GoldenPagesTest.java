package dev.postrenderer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.publish.ObjectInfo;
import dev.postrenderer.testing.OutputOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every page rendered from {@code examples/site} equals its golden file, whole.
 *
 * <p>After a deliberate change, regenerate with {@code mvn test -Dtest=GoldenPagesTest -Dgolden.update=true}
 * and review the diff of {@code src/test/resources/golden/} before committing it.
 */
class GoldenPagesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TempDir
    static Path out;
    static FileSystemStore site;

    @BeforeAll
    static void renderTheExampleSite() throws IOException {
        site = ExampleSite.renderInto(out);
        if (UPDATE) {
            for (String page : pages(site)) {
                Path golden = GOLDEN.resolve(page);
                Files.createDirectories(golden.getParent());
                Files.copy(out.resolve(page), golden, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static List<String> pages(FileSystemStore store) {
        return store.list("").stream().map(ObjectInfo::key)
                .filter(key -> key.endsWith(".html") || key.endsWith(".xml") || key.endsWith(".txt")
                        || key.endsWith(".svg")).toList();
    }

    static List<String> renderedPages() {
        return pages(site);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderedPages")
    void everyPageEqualsItsGoldenFile(String page) {
        Path golden = GOLDEN.resolve(page);
        assertThat(golden).as("golden file for " + page + " (regenerate with -Dgolden.update=true)").exists();
        assertThat(ExampleSite.read(out.resolve(page))).isEqualTo(ExampleSite.read(golden));
        if (page.endsWith(".html")) {
            OutputOracle.check(ExampleSite.read(out.resolve(page)));
        }
    }

    @Test
    void thereIsAPageForEveryGoldenFileAndNoOther() throws IOException {
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            List<String> golden = files.filter(Files::isRegularFile)
                    .map(file -> GOLDEN.relativize(file).toString().replace('\\', '/'))
                    .sorted().toList();
            assertThat(pages(site)).containsExactlyElementsOf(golden);
        }
    }

    @Test
    void everyPostButTheDraftIsPublishedAtItsPrettyUrl() {
        assertThat(pages(site).stream().filter(page -> page.startsWith("posts/"))).containsExactly(
                "posts/C++ tips für Café/index.html",
                "posts/ai-art/index.html",
                "posts/café-über/index.html",
                "posts/canonical-override/index.html",
                "posts/code-blocks/index.html",
                "posts/getting-started/index.html",
                "posts/my first post/index.html",
                "posts/no-front-matter/index.html");
    }

    @Test
    void assetsAreCopiedByteForByte() throws IOException {
        for (String asset : List.of("img/cover (1).JPG", "img/pipeline.png", "assets/image.jpg")) {
            assertThat(Files.readAllBytes(out.resolve(asset))).as(asset)
                    .isEqualTo(Files.readAllBytes(ExampleSite.SOURCE.resolve(asset)));
        }
    }

    @Test
    void theSeedPostCarriesItsTitleDescriptionAndEveryHeadMetaExactlyOnce() {
        Document page = Jsoup.parse(ExampleSite.read(out.resolve("posts/ai-art/index.html")));
        assertThat(page.title()).isEqualTo("The Cutting-Edge Technology Behind AI Art");
        assertThat(page.select("meta[name=description]").eachAttr("content")).containsExactly(
                "Dive into the technology behind AI art and learn how it is driving innovation in this exciting field."
                        + " Discover the latest developments and how they are shaping the future of AI art.");
        String[][] explicit = {
            {"name", "keywords", "AI art, machine learning, deep learning, neural networks, computer vision, generative"
                    + " adversarial networks, computer graphics, artificial intelligence, natural language processing,"
                    + " deep reinforcement learning"},
            {"name", "robots", "index, follow"},
            {"name", "author", "Intermezzo Labs Blog"},
            {"name", "copyright", "© 2023 Intermezzo Labs"},
            {"property", "og:title", "Intermezzo Labs Blog"},
            {"property", "og:description", "Welcome to Intermezzo Labs, We provide a platform for users to create, manage"
                    + " and trade digital assets. These platforms can be used for a variety of purposes, such as gaming,"
                    + " collectibles, and e-commerce. Intermezzo Labs is for anyone who wants to leverage blockchain"
                    + " technology."},
            {"property", "og:image", "https://intermezzolabs.xyz/banner.png"},
            {"property", "og:url", "https://intermezzolabs.xyz"},
            {"property", "og:site_name", "Intermezzo Labs"},
            {"property", "og:type", "website"},
            {"name", "twitter:card", "summary"},
            {"name", "twitter:site", "@intermezzolabs"},
            {"name", "twitter:title", "Intermezzo Labs"},
            {"name", "twitter:image", "https://intermezzolabs.xyz/banner.png"},
        };
        for (String[] meta : explicit) {
            assertThat(page.select("meta[" + meta[0] + "=" + meta[1] + "]").eachAttr("content"))
                    .as(meta[1]).containsExactly(meta[2]);
        }
        assertThat(page.select("meta[property^=og:image:]")).as("derived details of another image").isEmpty();
        assertThat(page.select("h1")).hasSize(1);
    }

    @Test
    void anExplicitCanonicalPointsElsewhere() {
        Document page = Jsoup.parse(ExampleSite.read(out.resolve("posts/canonical-override/index.html")));
        assertThat(page.select("link[rel=canonical]").eachAttr("href"))
                .containsExactly("https://example.org/why-static-still-wins");
        assertThat(page.select("meta[name=robots]").eachAttr("content")).containsExactly("noindex, follow");
    }
}
