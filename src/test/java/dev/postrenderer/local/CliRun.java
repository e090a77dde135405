package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The packaged CLI run as a user runs it, in a process of its own with none of the host's AWS settings. */
final class CliRun {

    /** How a run ended and everything it printed. */
    record Result(int status, String output) {
    }

    private CliRun() {
    }

    /** {@code post-renderer invoke …}. */
    static Result invoke(List<String> arguments, Map<String, String> hostEnv) throws Exception {
        List<String> command = new ArrayList<>(List.of("invoke"));
        command.addAll(arguments);
        return cli(command, hostEnv);
    }

    /** Runs the packaged CLI, its output read by a thread of its own so that the timeout holds. */
    static Result cli(List<String> arguments, Map<String, String> hostEnv) throws Exception {
        ProcessBuilder builder = Cli.builder(arguments);
        for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                "AWS_DEFAULT_REGION", "RAW_HTML", "SITE_URL", "S3_ENDPOINT")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(hostEnv);
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

    /** The {@code NAME=value} lines {@code /usr/bin/env}, run as the function's runtime, printed. */
    static Map<String, String> environment(String output) {
        Map<String, String> env = new TreeMap<>();
        output.lines().filter(line -> line.matches("[A-Za-z_][A-Za-z0-9_]*=.*")).forEach(line -> {
            int equals = line.indexOf('=');
            env.put(line.substring(0, equals), line.substring(equals + 1));
        });
        assertThat(env).as(output).containsKey("AWS_LAMBDA_RUNTIME_API");
        return env;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
