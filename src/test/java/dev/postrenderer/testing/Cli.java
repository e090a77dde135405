package dev.postrenderer.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
