package dev.postrenderer.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3Mock's own record of the requests it served (Tomcat's access log, see
 * {@code LocalS3.ACCESS_LOG_PATTERN}): what reached the server, whichever process sent it, with the
 * credentials that signed it. Read from a mark, so that a test sees only its own requests.
 */
public final class S3AccessLog {

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");

    /** One request: method, bucket, decoded key, query, status, bytes each way, the Authorization header. */
    public record Entry(String method, String bucket, String key, String query, int status, long sent, long received,
                        String authorization) {

        /** The access key id that signed the request, if it was signed. */
        public Optional<String> accessKeyId() {
            Matcher matcher = CREDENTIAL.matcher(authorization);
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        }

        /** Bytes of bodies both ways. */
        public long bytes() {
            return sent + received;
        }

        @Override
        public String toString() {
            return method + " " + key + (query.isEmpty() ? "" : "?" + query) + " " + status;
        }
    }

    private final Path file;

    S3AccessLog(Path file) {
        this.file = file;
    }

    /** Where the log ends now: the entries a test makes from here on come after it. */
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries written since a mark that match. */
    public List<Entry> since(long mark, Predicate<Entry> which) {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) (in.length() - mark)];
            in.seek(mark);
            in.readFully(bytes);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    Entry entry = parse(line);
                    if (which.test(entry)) {
                        entries.add(entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** The entries since a mark that concern one bucket. */
    public List<Entry> since(long mark, String bucket) {
        return since(mark, entry -> entry.bucket().equals(bucket));
    }

    private static Entry parse(String line) {
        String[] fields = line.split(" ", 7);
        String path = URLDecoder.decode(fields[1].replace("+", "%2B"), StandardCharsets.UTF_8);
        String[] parts = path.substring(1).split("/", 2);
        String query = fields[2];
        return new Entry(fields[0], parts[0], parts.length > 1 ? parts[1] : "", query.startsWith("?")
                ? query.substring(1) : "", Integer.parseInt(fields[3]), number(fields[4]), number(fields[5]),
                fields.length > 6 ? fields[6] : "-");
    }

    private static long number(String field) {
        return field.equals("-") ? 0 : Long.parseLong(field);
    }
}
