package dev.postrenderer.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line as the README runs it, {@code bin/post-renderer}, on the JDK that runs the
 * tests. Its class-data archive is recorded by one run before any other starts, so that tests
 * started side by side do not each record one.
 */
public final class Cli {

    private static final Path LAUNCHER = Path.of("bin/post-renderer").toAbsolutePath();
    private static boolean archived;

    private Cli() {
    }

    /** A process of {@code bin/post-renderer} with these arguments, in this folder, its errors in its output. */
    public static ProcessBuilder builder(List<String> arguments) throws IOException, InterruptedException {
        recordTheArchiveOnce();
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_OPTS");
        return builder;
    }

    /** How a run ended and everything it printed. */
    public record Result(int status, String output) {
    }

    /**
     * Runs {@code bin/post-renderer} with these arguments and none of the host's AWS settings, its
     * output read by a thread of its own so that the 180 s limit holds; {@code env} is added to
     * the environment.
     */
    public static Result run(List<String> arguments, Map<String, String> env) throws Exception {
        ProcessBuilder builder = builder(arguments);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("S3_ENDPOINT")
                || name.equals("SITE_URL") || name.equals("RAW_HTML"));
        builder.environment().putAll(env);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "cli-output");
        reader.start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(ended).as("the command ended within 180 s; it printed: " + output.toString(UTF_8)).isTrue();
        return new Result(process.exitValue(), output.toString(UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void recordTheArchiveOnce() throws IOException, InterruptedException {
        if (archived) {
            return;
        }
        ProcessBuilder help = new ProcessBuilder(LAUNCHER.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        help.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = help.start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/post-renderer --version failed; run it to see why");
        }
        archived = true;
    }
}
