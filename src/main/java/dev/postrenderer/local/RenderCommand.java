package dev.postrenderer.local;

import dev.postrenderer.publish.PublishResult;
import dev.postrenderer.publish.BatchResult;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.SiteConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code render SOURCE_DIR --out SITE_DIR}: the whole site from a folder, the way the function
 * publishes it from a bucket. Posts are rendered on all cores; a bad post is reported and the
 * others still render.
 */
@Command(name = "render",
        description = {"Renders every post of SOURCE_DIR to its pretty-URL page in SITE_DIR and copies every asset.",
                "Paths with a segment starting with '_' and drafts are skipped. Exit status: 0 if every post"
                        + " rendered, 1 if any failed, 2 for a usage error."},
        mixinStandardHelpOptions = true)
final class RenderCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SOURCE_DIR", description = "Folder laid out like the source bucket (posts/, img/, ...).")
    private Path sourceDir;

    @Option(names = "--out", required = true, paramLabel = "SITE_DIR", description = "Folder that receives the site.")
    private Path siteDir;

    @Option(names = "--site-url", paramLabel = "URL",
            description = "Public base URL, e.g. https://blog.example.com (env SITE_URL).")
    private String siteUrl;

    @Option(names = "--site-name", paramLabel = "NAME", description = "Site name for og:site_name and the header (env SITE_NAME).")
    private String siteName;

    @Option(names = "--site-description", paramLabel = "TEXT",
            description = "What the site is about, for the front page when no index.md says (env SITE_DESCRIPTION).")
    private String siteDescription;

    @Option(names = "--site-lang", paramLabel = "LANG", description = "Default <html lang> (env SITE_LANG, default en).")
    private String siteLang;

    @Option(names = "--raw-html", paramLabel = "MODE",
            description = "Raw HTML in markdown: sanitize (default), escape or allow (env RAW_HTML).")
    private String rawHtml;

    @Option(names = "--max-post-bytes", paramLabel = "BYTES",
            description = "Larger posts are rejected (env MAX_POST_BYTES, default 524288).")
    private String maxPostBytes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SiteConfig config;
        try {
            config = SiteConfig.fromEnvironment(environment());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        Path source = sourceDir.toAbsolutePath().normalize();
        Path site = siteDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(source)) {
            err.println("error: SOURCE_DIR " + sourceDir + " is not a folder");
            return 2;
        }
        if (site.startsWith(source) || source.startsWith(site)) {
            err.println("error: SITE_DIR and SOURCE_DIR must not contain each other");
            return 2;
        }

        long started = System.nanoTime();
        BatchResult result = new Publisher(new FileSystemStore(source), new FileSystemStore(site), config).rebuild();
        long millis = (System.nanoTime() - started) / 1_000_000;

        Summary summary = new Summary();
        result.done().forEach(summary::count);
        result.warnings().forEach(warning -> err.println("WARNING " + warning));
        result.rejected().forEach(rejection -> err.println("ERROR " + rejection.key() + ": " + rejection.problem()));
        result.failed().forEach(failure -> err.println("ERROR " + failure.key() + ": " + failure.error().getMessage()));
        int failed = result.rejected().size() + result.failed().size();
        err.flush();
        out.printf("rendered %d posts%s, copied %d assets, skipped %d drafts, %d failed in %d ms%n",
                summary.rendered + summary.unchanged, summary.unchanged == 0 ? ""
                        : " (" + summary.unchanged + " unchanged since the last render)",
                summary.copied, summary.drafts, failed, millis);
        if (Files.exists(site.resolve("index.html"))) {
            out.println("open " + site.resolve("index.html").toUri());
        }
        return failed == 0 ? 0 : 1;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        putIfSet(env, "SITE_URL", siteUrl);
        putIfSet(env, "SITE_NAME", siteName);
        putIfSet(env, "SITE_DESCRIPTION", siteDescription);
        putIfSet(env, "SITE_LANG", siteLang);
        putIfSet(env, "RAW_HTML", rawHtml);
        putIfSet(env, "MAX_POST_BYTES", maxPostBytes);
        return env;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    /** Counts for the closing line. */
    private static final class Summary {
        int rendered;
        int unchanged;
        int copied;
        int drafts;

        void count(PublishResult result) {
            boolean post = result.siteKey().filter(key -> key.endsWith("/index.html")).isPresent();
            switch (result.action()) {
                case RENDERED -> rendered += post ? 1 : 0;
                case UNCHANGED -> unchanged += post ? 1 : 0;
                case COPIED -> copied++;
                case DRAFT -> drafts++;
                default -> {
                    // ignored files are not worth a count
                }
            }
        }
    }
}
