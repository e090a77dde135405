package dev.postrenderer.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code invoke --event FILE [--env-vars FILE]}: what {@code sam local invoke} does, without
 * Docker. The deployment package ({@code target/post-renderer-lambda.zip}) runs in a fresh JVM
 * under the real runtime interface client; its log lines, its result or error and a REPORT line
 * are printed.
 */
@Command(name = "invoke",
        description = {"Invokes the Lambda function once with an event file, as sam local invoke does, without Docker.",
                "The environment is this one plus --env-vars (the sam format: {\"Parameters\": {...},"
                        + " \"PublishFunction\": {...}}); S3_ENDPOINT points the function at a local S3.",
                "Exit status: 0 if the function succeeded, 1 if it failed, 2 for a usage error."},
        mixinStandardHelpOptions = true)
final class InvokeCommand implements Callable<Integer> {

    static final String FUNCTION = "PublishFunction";
    static final String HANDLER = "dev.postrenderer.aws.PublishHandler::handleRequest";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-e", "--event"}, required = true, paramLabel = "FILE", description = "Event JSON, e.g. events/s3-put.json.")
    private Path event;

    @Option(names = {"-n", "--env-vars"}, paramLabel = "FILE", description = "Environment variables, e.g. events/env.json.")
    private Path envVars;

    @Option(names = "--memory", paramLabel = "MB", defaultValue = "512",
            description = "Memory size; sets the JVM limits as Lambda does (default ${DEFAULT-VALUE}).")
    private int memoryMb;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Function timeout (default ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--handler", paramLabel = "CLASS::METHOD", defaultValue = HANDLER,
            description = "Handler (default ${DEFAULT-VALUE}).")
    private String handler;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "An extra option for the function's JVM (repeatable), e.g. -Xlog:class+load.")
    private List<String> jvmOptions = new java.util.ArrayList<>();

    @Option(names = "--runtime-command", paramLabel = "COMMAND", split = " ",
            description = "Run another runtime under the same Runtime API instead of the Java package,"
                    + " e.g. \"node bench/peers/node/bootstrap.mjs\" (for benchmarks).")
    private List<String> runtimeCommand;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path target = buildDirectory();
        Path zip = target.resolve("post-renderer-lambda.zip");
        Path runtime = target.resolve("tools/runtime");
        if (!Files.isRegularFile(zip) || !Files.isDirectory(runtime)) {
            err.println("error: the deployment package or the runtime client is missing in " + target
                    + "; run mvn -DskipTests package first");
            return 2;
        }
        if (!Files.isRegularFile(event)) {
            err.println("error: no event file at " + event);
            return 2;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        if (envVars != null) {
            try {
                env.putAll(readEnvVars(envVars, FUNCTION));
            } catch (IOException e) {
                err.println("error: cannot read " + envVars + ": " + e.getMessage());
                return 2;
            }
        }
        List<Path> runtimeJars;
        try (Stream<Path> jars = Files.list(runtime)) {
            runtimeJars = jars.filter(path -> path.toString().endsWith(".jar")).sorted().toList();
        }
        LocalInvoke.Report report = new LocalInvoke(zip, runtimeJars).invoke(runtimeCommand, handler,
                Files.readAllBytes(event), env, memoryMb, Duration.ofSeconds(timeoutSeconds), jvmOptions, out);
        out.println(report.payload());
        out.println(report.line());
        out.flush();
        return report.success() ? 0 : 1;
    }

    /** Reads sam's env-vars format: variables under {@code Parameters} for every function, then under the function's name. */
    static Map<String, String> readEnvVars(Path file, String function) throws IOException {
        Map<String, String> shared = new HashMap<>();
        Map<String, String> own = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String section = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT && (section.equals("Parameters") || section.equals(function))) {
                    Map<String, String> into = section.equals("Parameters") ? shared : own;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        into.put(name, parser.getValueAsString(""));
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        shared.putAll(own);
        return shared;
    }

    /** The folder holding this jar ({@code target/}), where the build leaves the package and the tools. */
    private static Path buildDirectory() {
        try {
            Path location = Path.of(InvokeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
