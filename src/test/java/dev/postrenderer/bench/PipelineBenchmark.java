package dev.postrenderer.bench;

import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.render.PageRenderer;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.commonmark.ext.footnotes.FootnotesExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The warm benchmark: posts per second through bare commonmark (the same extensions, bodies
 * only) against the whole pipeline (bytes in: UTF-8 decoding, front matter, markdown,
 * sanitising, head tags, layout). Run by {@code bench/run.sh warm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineBenchmark {

    /** The corpus folder (its posts/ are read). */
    @Param("target/bench/corpus-500")
    public String corpus;

    private List<byte[]> files;
    private List<String> bodies;
    private List<SourceKey> keys;
    private Parser parser;
    private HtmlRenderer renderer;
    private PostParser posts;
    private PageRenderer pages;
    private int next;

    @Setup
    public void load() throws IOException {
        files = new ArrayList<>();
        bodies = new ArrayList<>();
        keys = new ArrayList<>();
        try (Stream<Path> paths = Files.list(Path.of(corpus, "posts"))) {
            for (Path path : paths.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(path);
                files.add(bytes);
                keys.add(SourceKey.of("posts/" + path.getFileName()));
                String text = new String(bytes, StandardCharsets.UTF_8);
                bodies.add(text.substring(text.indexOf("\n---\n") + 5));
            }
        }
        // the extensions the renderer uses; its autolinks are a post-processor of its own (GfmAutolinks)
        var extensions = List.of(TablesExtension.create(), StrikethroughExtension.create(),
                TaskListItemsExtension.create(), FootnotesExtension.create(), HeadingAnchorExtension.create());
        parser = Parser.builder().extensions(extensions).build();
        renderer = HtmlRenderer.builder().extensions(extensions).build();
        posts = new PostParser(524_288);
        pages = new PageRenderer(new RenderOptions(Optional.of("https://blog.example.com"), Optional.of("Bench"), "en",
                RawHtmlPolicy.SANITIZE));
    }

    /** One post through commonmark alone. */
    @Benchmark
    public void bareCommonmark(Blackhole sink) {
        int i = next();
        sink.consume(renderer.render(parser.parse(bodies.get(i))));
    }

    /** One post through the whole pipeline, from its bytes to its complete page. */
    @Benchmark
    public void fullPipeline(Blackhole sink) {
        int i = next();
        Post post = posts.parse(keys.get(i), files.get(i));
        sink.consume(pages.render(post).html());
    }

    private int next() {
        int i = next;
        next = i + 1 == files.size() ? 0 : i + 1;
        return i;
    }
}
