package dev.postrenderer.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes a deterministic corpus of realistic posts (5–30 KB: front matter, headings, paragraphs
 * with links and emphasis, lists, code blocks, tables, images, quotes, and raw HTML blocks in a
 * third of them) for the benchmarks:
 * {@code java ... CorpusGenerator OUT_DIR COUNT [SEED]}. The same seed gives the same bytes.
 */
public final class CorpusGenerator {

    private static final List<String> WORDS = List.of(("the a publishing pipeline markdown lambda bucket render page "
            + "reader search engine preview image title description serverless function cold start warm cache layout "
            + "template feed sitemap index tag post author draft upload event sequencer manifest conditional write "
            + "latency throughput memory heap metaspace snapshot priming benchmark corpus golden test oracle").split(" "));
    private static final List<String> TAGS = List.of("aws", "java", "serverless", "markdown", "performance", "testing",
            "design", "s3", "lambda", "web", "security", "writing", "tools", "notes", "release");
    private static final List<String> LANGUAGES = List.of("java", "yaml", "json", "bash", "javascript");

    private CorpusGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20_241_126L;
        write(out, count, seed);
    }

    /** Writes {@code count} posts under {@code out/posts/} and one image under {@code out/img/}. */
    public static void write(Path out, int count, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(out.resolve("posts"));
        Files.createDirectories(out.resolve("img"));
        Files.write(out.resolve("img/figure.png"), png());
        for (int i = 0; i < count; i++) {
            Files.writeString(out.resolve(String.format("posts/post-%05d.md", i)), post(i, random), StandardCharsets.UTF_8);
        }
    }

    static String post(int index, Random random) {
        int target = 5_000 + random.nextInt(25_000);
        StringBuilder text = new StringBuilder(target + 2_000);
        String title = capitalise(words(random, 4 + random.nextInt(5)));
        text.append("---\n");
        text.append("title: \"").append(title).append("\"\n");
        text.append("description: \"").append(capitalise(words(random, 14 + random.nextInt(10)))).append(".\"\n");
        text.append(String.format("date: 20%02d-%02d-%02d%n", 18 + random.nextInt(7), 1 + random.nextInt(12),
                1 + random.nextInt(28)));
        text.append("tags: [").append(TAGS.get(random.nextInt(TAGS.size()))).append(", ")
                .append(TAGS.get(random.nextInt(TAGS.size()))).append("]\n");
        text.append("image:\n  src: /img/figure.png\n  alt: \"").append(words(random, 4)).append("\"\n");
        text.append("  width: 64\n  height: 64\n");
        text.append("---\n\n# ").append(title).append("\n\n");
        int section = 0;
        // a third of the posts carry raw HTML blocks, as real posts do (figures, collapsible notes)
        boolean rawHtml = index % 3 == 0;
        while (text.length() < target) {
            if (rawHtml && section == 1) {
                text.append("<figure class=\"wide\">\n  <img src=\"../img/figure.png\" alt=\"")
                        .append(words(random, 3)).append("\" width=\"64\" height=\"64\">\n  <figcaption>")
                        .append(capitalise(words(random, 5))).append(" <em>").append(words(random, 2))
                        .append("</em></figcaption>\n</figure>\n\n<details>\n<summary>")
                        .append(capitalise(words(random, 3))).append("</summary>\n\n")
                        .append(paragraph(random, index)).append("\n\n</details>\n\n");
            }
            text.append("## ").append(capitalise(words(random, 3 + random.nextInt(4)))).append(" ")
                    .append(++section).append("\n\n");
            for (int p = 0; p < 2 + random.nextInt(3); p++) {
                text.append(paragraph(random, index)).append("\n\n");
            }
            switch (random.nextInt(5)) {
                case 0 -> {
                    for (int item = 0; item < 3 + random.nextInt(5); item++) {
                        text.append("- ").append(capitalise(words(random, 5 + random.nextInt(8)))).append("\n");
                    }
                    text.append("\n");
                }
                case 1 -> {
                    String language = LANGUAGES.get(random.nextInt(LANGUAGES.size()));
                    text.append("```").append(language).append("\n");
                    for (int line = 0; line < 4 + random.nextInt(10); line++) {
                        text.append("    ".repeat(random.nextInt(3))).append(words(random, 3 + random.nextInt(6)))
                                .append(";\n");
                    }
                    text.append("```\n\n");
                }
                case 2 -> {
                    text.append("| Step | Service | Time |\n|------|---------|-----:|\n");
                    for (int row = 0; row < 3 + random.nextInt(5); row++) {
                        text.append("| ").append(words(random, 2)).append(" | ").append(words(random, 1)).append(" | ")
                                .append(random.nextInt(500)).append(" ms |\n");
                    }
                    text.append("\n");
                }
                case 3 -> text.append("![").append(words(random, 3)).append("](../img/figure.png \"")
                        .append(words(random, 2)).append("\")\n\n");
                default -> text.append("> ").append(paragraph(random, index)).append("\n\n");
            }
        }
        return text.toString();
    }

    private static String paragraph(Random random, int index) {
        StringBuilder paragraph = new StringBuilder();
        int sentences = 3 + random.nextInt(4);
        for (int s = 0; s < sentences; s++) {
            String sentence = capitalise(words(random, 8 + random.nextInt(12)));
            switch (random.nextInt(6)) {
                case 0 -> sentence += " with **" + words(random, 2) + "**";
                case 1 -> sentence += " and *" + words(random, 2) + "*";
                case 2 -> sentence += " using `" + WORDS.get(random.nextInt(WORDS.size())) + "()`";
                case 3 -> sentence += " (see [post " + random.nextInt(index + 1) + "](post-"
                        + String.format("%05d", random.nextInt(index + 1)) + ".md))";
                case 4 -> sentence += " at https://example.org/" + WORDS.get(random.nextInt(WORDS.size()));
                default -> {
                }
            }
            paragraph.append(sentence).append(". ");
        }
        return paragraph.toString().strip();
    }

    private static String words(Random random, int count) {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                words.append(' ');
            }
            words.append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return words.toString();
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** A valid 1×1 PNG. */
    private static byte[] png() {
        return java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    }
}
