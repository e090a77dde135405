package dev.postrenderer.post;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns the bytes of a markdown file into a {@link Post}: UTF-8 (with or without a byte order
 * mark), LF or CRLF line endings, an optional YAML front-matter block between {@code ---} lines
 * (closed by {@code ---} or {@code ...}), then the markdown body.
 *
 * <p>Every input is treated as hostile; anything that is not a well-formed post is reported as
 * an {@link InvalidPostException} naming the key and the problem, with the line and column when
 * the YAML parser knows them. Immutable and thread-safe.
 */
public final class PostParser {

    private static final String FENCE = "---";

    private final int maxBytes;

    /**
     * @param maxBytes the largest post accepted, in bytes (the {@code MAX_POST_BYTES} setting)
     */
    public PostParser(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The largest post accepted, in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Parses a post.
     *
     * @param source  where the post comes from
     * @param content the raw bytes of the file
     * @throws InvalidPostException if the post cannot be published as it is
     */
    public Post parse(SourceKey source, byte[] content) {
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(content, "content == null");
        String key = source.key();
        if (content.length > maxBytes) {
            throw new InvalidPostException(key, "the post is " + content.length + " bytes, more than the limit of "
                    + maxBytes + " (MAX_POST_BYTES)");
        }
        String text = decode(key, content);
        if (text.indexOf('\0') >= 0) {
            throw new InvalidPostException(key, "the file contains NUL characters; it looks binary, not markdown");
        }
        if (text.indexOf('\r') >= 0) {
            text = text.replace("\r\n", "\n").replace('\r', '\n');
        }
        if (!opensFrontMatter(text)) {
            return new Post(source, FrontMatter.EMPTY, text, 1);
        }
        int yamlStart = text.indexOf('\n') + 1;
        int lineStart = yamlStart;
        int line = 2;
        while (lineStart > 0 && lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            int end = lineEnd < 0 ? text.length() : lineEnd;
            String candidate = text.substring(lineStart, end).stripTrailing();
            if (candidate.equals(FENCE) || candidate.equals("...")) {
                String yaml = text.substring(yamlStart, lineStart);
                FrontMatter frontMatter = FrontMatterReader.read(key, yaml, 2);
                String body = lineEnd < 0 ? "" : text.substring(lineEnd + 1);
                return new Post(source, frontMatter, body, line + 1);
            }
            if (lineEnd < 0) {
                break;
            }
            lineStart = lineEnd + 1;
            line++;
        }
        throw new InvalidPostException(key, "the front matter opened by '---' on line 1 is never closed;"
                + " end it with a line of '---'");
    }

    private static boolean opensFrontMatter(String text) {
        if (!text.startsWith(FENCE)) {
            return false;
        }
        int lineEnd = text.indexOf('\n');
        String first = lineEnd < 0 ? text : text.substring(0, lineEnd);
        return first.stripTrailing().equals(FENCE);
    }

    private static String decode(String key, byte[] content) {
        int offset = 0;
        if (startsWith(content, 0x00, 0x00, 0xFE, 0xFF) || startsWith(content, 0xFF, 0xFE, 0x00, 0x00)) {
            throw new InvalidPostException(key, "the file is UTF-32 encoded (it starts with a UTF-32 byte order mark);"
                    + " save it as UTF-8");
        }
        if (startsWith(content, 0xFE, 0xFF) || startsWith(content, 0xFF, 0xFE)) {
            throw new InvalidPostException(key, "the file is UTF-16 encoded (it starts with a UTF-16 byte order mark);"
                    + " save it as UTF-8");
        }
        if (startsWith(content, 0xEF, 0xBB, 0xBF)) {
            offset = 3;
        }
        // the JDK's own decoding is much faster; it turns bad bytes into U+FFFD, and only then is
        // the strict decoder needed, to tell a real U+FFFD from a bad byte and find the offset
        String text = new String(content, offset, content.length - offset, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, offset, content.length - offset);
        CharBuffer out = CharBuffer.allocate(content.length - offset);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new InvalidPostException(key, "the file is not valid UTF-8 (bad byte at offset " + in.position()
                    + "); save it as UTF-8");
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    private static boolean startsWith(byte[] content, int... prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((content[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
