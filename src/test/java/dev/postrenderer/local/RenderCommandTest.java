package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

    @TempDir
    Path source;
    @TempDir
    Path site;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void write(String key, String text) throws IOException {
        Path file = source.resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, UTF_8);
    }

    @Test
    void renderedFilesAndFoldersGetThePermissionsOfAnyFileMadeHere() throws IOException {
        write("posts/a.md", "---\ntitle: A\n---\nHello.");
        Files.createDirectories(source.resolve("img"));
        Files.write(source.resolve("img/a.png"), new byte[] {1, 2, 3});

        assertThat(run("render", source.toString(), "--out", site.toString())).isZero();

        // what the umask gives an ordinary new file and folder here (0644 and 0755 with the usual 022)
        Path referenceFile = Files.createFile(source.resolve("reference"));
        Path referenceDir = Files.createDirectory(source.resolve("reference-dir"));
        var filePermissions = Files.getPosixFilePermissions(referenceFile);
        var dirPermissions = Files.getPosixFilePermissions(referenceDir);
        assertThat(filePermissions).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        try (var walk = Files.walk(site)) {
            for (Path path : walk.filter(path -> !path.equals(site)).toList()) {
                assertThat(Files.getPosixFilePermissions(path)).as(site.relativize(path).toString())
                        .isEqualTo(Files.isDirectory(path) ? dirPermissions : filePermissions);
            }
        }
        assertThat(site.resolve("index.html")).isRegularFile();
        assertThat(site.resolve("_site")).isDirectory();
    }

    @Test
    void controlCharactersInATitleNeverReachThePagesOrTheFeed() throws Exception {
        write("posts/bell.md", "---\ntitle: \"Bell \\a and \\v tab\"\ntags: [\"x\\a\"]\n---\nA \u0007 bell.\n");

        assertThat(run("render", source.toString(), "--out", site.toString(), "--site-url", "https://blog.example.com"))
                .isZero();

        List<String> all;
        try (Stream<Path> walk = Files.walk(site)) {
            all = walk.filter(Files::isRegularFile).map(file -> site.relativize(file).toString()).toList();
        }
        assertThat(all).contains("feed.xml", "sitemap.xml", "posts/bell/index.html", "tags/x/index.html");
        for (String key : all) {
            String text = Files.readString(site.resolve(key));
            assertThat(text.chars().filter(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f'))
                    .as(key).isEmpty();
            if (key.endsWith(".xml")) {
                javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(site.resolve(key).toFile());
            }
        }
        assertThat(Files.readString(site.resolve("posts/bell/index.html"))).contains("<title>Bell and tab</title>");
    }

    @Test
    void rendersEveryPostCopiesAssetsAndSkipsDraftsAndUnderscorePaths() throws IOException {
        write("posts/a.md", "---\ntitle: A\n---\nHello.");
        write("posts/b.markdown", "# B\n");
        write("posts/draft.md", "---\ndraft: true\n---\nSecret.");
        write("_drafts/later.md", "Not public.");
        write("posts/_notes/idea.md", "Not public.");
        Files.createDirectories(source.resolve("img"));
        byte[] png = dev.postrenderer.testing.TestImages.png(8, 8, false);
        Files.write(source.resolve("img/a b.png"), png);

        int status = run("render", source.toString(), "--out", site.toString(), "--site-url", "https://blog.example.com");

        assertThat(status).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).containsPattern("rendered 2 posts, copied 1 assets, skipped 1 drafts, 0 failed in \\d+ ms");
        assertThat(files(site)).containsExactly("img/a b.png", "posts/a/index.html", "posts/b/index.html");
        assertThat(Files.readAllBytes(site.resolve("img/a b.png"))).isEqualTo(png);
        assertThat(Files.readString(site.resolve("posts/a/index.html"))).contains("<title>A</title>");
        dev.postrenderer.testing.OutputOracle.check(Files.readString(site.resolve("posts/a/index.html")));
        dev.postrenderer.testing.OutputOracle.check(Files.readString(site.resolve("index.html")));
        assertThat(site.resolve("index.html")).content().contains("href=\"posts/a/\"", "href=\"posts/b/\"");
        assertThat(site.resolve("feed.xml")).exists();
        assertThat(site.resolve("sitemap.xml")).exists();
        assertThat(site.resolve("robots.txt")).content().contains("Sitemap: https://blog.example.com/sitemap.xml");
        assertThat(site.resolve("404.html")).exists();
        assertThat(site.resolve("_site/state.json")).exists();
    }

    @Test
    void aCustomLayoutInTheSourceOverridesTheBundledOne() throws IOException {
        write("posts/a.md", "---\ntitle: Custom\nsubtitle: From the front matter\n---\nBody.");
        write("_layouts/post.mustache", "<!DOCTYPE html><html lang=\"{{lang}}\"><head>{{{head}}}</head>"
                + "<body class=\"custom\"><h1>{{page.title}}</h1><p>{{meta.subtitle}}</p>{{{content}}}</body></html>");

        assertThat(run("render", source.toString(), "--out", site.toString())).isZero();

        assertThat(site.resolve("posts/a/index.html")).content()
                .contains("<body class=\"custom\"><h1>Custom</h1><p>From the front matter</p><p>Body.</p>")
                .contains("<title>Custom</title>");
        assertThat(site.resolve("_layouts")).doesNotExist();
    }

    @Test
    void aBrokenCustomLayoutIsReportedNamingIt() throws IOException {
        write("posts/a.md", "Body.");
        write("_layouts/post.mustache", "{{#page}}unclosed");

        assertThat(run("render", source.toString(), "--out", site.toString())).isNotZero();

        assertThat(err.toString()).contains("_layouts/", "does not compile");
    }

    @Test
    void aBadPostIsReportedAndTheOthersAreStillRendered() throws IOException {
        write("posts/good.md", "Good.");
        write("posts/bad.md", "---\ntitle: [unclosed\n---\nBad.");
        write("posts/also-good.md", "Also good.");

        int status = run("render", source.toString(), "--out", site.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).startsWith("ERROR posts/bad.md: front matter: ").contains("line");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(out.toString()).contains("rendered 2 posts, copied 0 assets, skipped 0 drafts, 1 failed in ");
        assertThat(files(site)).containsExactly("posts/also-good/index.html", "posts/good/index.html");
    }

    @Test
    void aFailedRenderKeepsThePreviouslyPublishedPage() throws IOException {
        write("posts/a.md", "---\ntitle: First\n---\nv1");
        assertThat(run("render", source.toString(), "--out", site.toString())).isZero();
        write("posts/a.md", "---\ntitle: [broken\n---\nv2");

        assertThat(run("render", source.toString(), "--out", site.toString())).isEqualTo(1);

        assertThat(Files.readString(site.resolve("posts/a/index.html"))).contains("<title>First</title>");
        assertThat(files(site)).containsExactly("posts/a/index.html");
    }

    @Test
    void aPostTurnedIntoADraftIsUnpublished() throws IOException {
        write("posts/a.md", "Public.");
        assertThat(run("render", source.toString(), "--out", site.toString())).isZero();
        write("posts/a.md", "---\ndraft: true\n---\nNot any more.");

        assertThat(run("render", source.toString(), "--out", site.toString())).isZero();

        assertThat(files(site)).isEmpty();
    }

    @Test
    void rawHtmlModeAndSiteNameComeFromFlags() throws IOException {
        write("posts/a.md", "<b>bold</b>");
        assertThat(run("render", source.toString(), "--out", site.toString(), "--raw-html", "escape",
                "--site-name", "My Blog")).isZero();
        String page = Files.readString(site.resolve("posts/a/index.html"));
        assertThat(page).contains("&lt;b&gt;bold&lt;/b&gt;", "<meta property=\"og:site_name\" content=\"My Blog\">");
    }

    @Test
    void badSettingsAreAUsageError() {
        assertThat(run("render", source.toString(), "--out", site.toString(), "--raw-html", "yes")).isEqualTo(2);
        assertThat(err.toString()).contains("RAW_HTML must be sanitize, escape or allow");
        assertThat(run("render", source.toString(), "--out", site.toString(), "--site-url", "blog.example.com"))
                .isEqualTo(2);
        assertThat(run("render", source.resolve("missing").toString(), "--out", site.toString())).isEqualTo(2);
        assertThat(run("render", source.toString(), "--out", source.resolve("out").toString())).isEqualTo(2);
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: post-renderer", "render");
        assertThat(run("render", "--help")).isZero();
        assertThat(out.toString()).contains("--site-url", "--raw-html", "SOURCE_DIR");
    }

    /** The posts' pages and the assets: everything but the pages derived from the manifest. */
    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .filter(key -> key.startsWith("posts/") || key.startsWith("img/"))
                    .sorted().toList();
        }
    }
}
