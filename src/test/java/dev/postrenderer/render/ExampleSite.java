package dev.postrenderer.render;

import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.SiteConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The example site of the README, rendered with the settings the golden pages were made with. */
final class ExampleSite {

    static final Path SOURCE = Path.of("examples/site");
    static final Map<String, String> ENVIRONMENT = Map.of(
            "SITE_URL", "https://blog.example.com",
            "SITE_NAME", "Example Blog");

    private ExampleSite() {
    }

    /** Renders every file of the example site into {@code out}, as the render command does. */
    static FileSystemStore renderInto(Path out) {
        SiteConfig config = SiteConfig.fromEnvironment(ENVIRONMENT);
        FileSystemStore site = new FileSystemStore(out);
        new Publisher(new FileSystemStore(SOURCE), site, config).rebuild();
        return site;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
