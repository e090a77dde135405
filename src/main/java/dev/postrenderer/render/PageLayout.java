package dev.postrenderer.render;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page templates: logic-less JMustache layouts ({@code post}, and the partials
 * {@code header} and {@code footer}) with the stylesheet they inline, and the code palette
 * ({@code code.css}) that pages with highlighted code add to it. Bundled layouts live in
 * {@code src/main/resources/layouts/}; a site may override any of them by name.
 *
 * <p>Variables are HTML-escaped unless written with triple braces; missing variables render
 * as nothing. Templates are compiled once and are thread-safe.
 */
public final class PageLayout {

    private static final String BUNDLED = "/layouts/";
    private static final List<String> FILES = List.of("post.mustache", "index.mustache", "tag.mustache", "archive.mustache",
            "404.mustache", "pagination.mustache",
            "header.mustache", "footer.mustache", "post-list.mustache", "style.css", "code.css");

    private final Map<String, String> overrides;
    private final Mustache.Compiler compiler;
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();
    private final String styles;
    private final String stylesWithCode;

    private PageLayout(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.compiler = Mustache.compiler()
                .escapeHTML(true)
                .defaultValue("")
                .withLoader(name -> new StringReader(source(name + ".mustache")));
        this.styles = source("style.css");
        this.stylesWithCode = styles + source("code.css");
    }

    /** The bundled layouts. */
    public static PageLayout bundled() {
        return new PageLayout(Map.of());
    }

    /**
     * The bundled layouts, with some replaced.
     *
     * @param overrides template text by file name, such as {@code post.mustache} or {@code style.css}
     */
    public static PageLayout withOverrides(Map<String, String> overrides) {
        return new PageLayout(Objects.requireNonNull(overrides, "overrides == null"));
    }

    /** A digest of every template and the stylesheet: pages rendered with other layouts differ in it. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Set<String> names = new TreeSet<>(FILES);
            names.addAll(overrides.keySet());
            for (String name : names) {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(source(name).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /**
     * Compiles every template, so that a broken custom layout is found when it is loaded rather
     * than when the first page is rendered.
     *
     * @throws com.samskivert.mustache.MustacheException naming the problem
     */
    public void check() {
        Set<String> names = new TreeSet<>(FILES);
        names.addAll(overrides.keySet());
        for (String name : names) {
            if (name.endsWith(".mustache")) {
                String template = name.substring(0, name.length() - ".mustache".length());
                compiled.computeIfAbsent(template, n -> compiler.compile(source(n + ".mustache")));
            }
        }
    }

    /** The stylesheet the layouts inline. */
    public String styles() {
        return styles;
    }

    /** The stylesheet and the code palette after it (light and dark), for pages with highlighted code. */
    public String stylesWithCode() {
        return stylesWithCode;
    }

    /**
     * Renders a layout.
     *
     * @param name  the layout, such as {@code post}
     * @param model the variables, as nested maps and lists
     */
    public String render(String name, Map<String, Object> model) {
        Template template = compiled.computeIfAbsent(name, n -> compiler.compile(source(n + ".mustache")));
        Map<String, Object> context = new HashMap<>(model);
        context.putIfAbsent("styles", styles);
        return HtmlEscaper.withoutControls(template.execute(context));
    }

    private String source(String file) {
        String override = overrides.get(file);
        if (override != null) {
            return override;
        }
        try (InputStream in = PageLayout.class.getResourceAsStream(BUNDLED + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no layout named " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
