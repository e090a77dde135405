package dev.postrenderer.local;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code invoke [FUNCTION] --event FILE [--env-vars FILE] [--template FILE] [--parameter-overrides K=V ...]}:
 * what the function's trigger does to it on Lambda, without Docker or an AWS account. The function's
 * handler, runtime, memory, timeout and environment come from the template, as SAM takes them:
 * {@code Globals} merged in, {@code Ref}s resolved from the parameters; a declared variable takes its
 * value from the shell, then from {@code --env-vars}, which may only set declared variables; the
 * host's AWS credentials and region are passed, and nothing else of the host. What {@code sam build}
 * deploys (the Makefile target's output, {@code target/post-renderer-lambda.zip}) runs in a fresh JVM
 * of the runtime's Java version under the real runtime interface client (see {@link LocalInvoke}).
 * A function whose trigger invokes a published SnapStart version runs as that version does
 * (init with the {@code beforeCheckpoint} hooks, restore, then the invocation, its credentials from
 * a container-credentials endpoint); {@code --on-demand} runs {@code $LATEST} as
 * {@code sam local invoke} does, its credentials in environment variables. Its log lines, its result
 * or error and Lambda's report lines are printed.
 */
@Command(name = "invoke",
        description = {"Invokes a function of template.yaml with an event file, as sam local invoke does,"
                + " without Docker.",
                "Handler, runtime, memory, timeout and environment come from the template; --env-vars (the sam"
                        + " format: {\"Parameters\": {...}, \"PublishFunction\": {...}}) overrides declared"
                        + " variables; S3_ENDPOINT points the function at a local S3.",
                "A SnapStart function runs as its published version does (init with the beforeCheckpoint hooks,"
                        + " restore, invocation; credentials from a container-credentials endpoint); --on-demand"
                        + " runs $LATEST as sam local invoke does (credentials in environment variables).",
                "Exit status: 0 if the function succeeded, 1 if it failed, 2 for a usage error."},
        mixinStandardHelpOptions = true)
final class InvokeCommand implements Callable<Integer> {

    static final String FUNCTION = "PublishFunction";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FUNCTION", defaultValue = FUNCTION,
            description = "The function's logical id in the template (default ${DEFAULT-VALUE}).")
    private String function;

    @Option(names = {"-e", "--event"}, required = true, paramLabel = "FILE",
            description = "Event JSON, e.g. events/s3-put.json. Repeated: the same environment handles each in turn,"
                    + " as a warm one does (the first starts it).")
    private List<Path> events;

    @Option(names = {"-n", "--env-vars"}, paramLabel = "FILE", description = "Environment variables, e.g. events/env.json.")
    private Path envVars;

    @Option(names = {"-t", "--template"}, paramLabel = "FILE", defaultValue = "template.yaml",
            description = "The SAM template (default ${DEFAULT-VALUE}).")
    private Path template;

    @Option(names = "--parameter-overrides", paramLabel = "KEY=VALUE",
            description = "Template parameter values, as sam takes them: Key=Value pairs, or"
                    + " ParameterKey=Key,ParameterValue=Value.")
    private List<String> parameterOverrides = new java.util.ArrayList<>();

    @Option(names = "--memory", paramLabel = "MB",
            description = "Overrides the template's MemorySize (for measurements).")
    private Integer memoryMb;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "An extra option for the function's JVM (repeatable), e.g. -Xlog:class+load.")
    private List<String> jvmOptions = new java.util.ArrayList<>();

    @Option(names = "--on-demand",
            description = "Run $LATEST on demand, as sam local invoke does: no SnapStart lifecycle, credentials in"
                    + " environment variables. Without it, a function whose trigger invokes a published SnapStart"
                    + " version runs as that version does.")
    private boolean onDemand;

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
        Optional<String> missing = missing(target, zip, runtime);
        if (missing.isPresent()) {
            err.println("error: " + missing.get());
            return 2;
        }
        Map<String, String> host = System.getenv();
        String region = Optional.ofNullable(host.get("AWS_REGION")).or(() -> Optional.ofNullable(
                host.get("AWS_DEFAULT_REGION"))).orElse("us-east-1");
        SamTemplate.Function spec;
        Map<String, String> env;
        try {
            spec = SamTemplate.read(template).function(function, overrides(parameterOverrides), region);
            env = environment(spec, host, envVars == null ? Map.of() : readEnvVars(envVars, function), region, err);
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        JavaRuntimes.Jdk jdk = JavaRuntimes.forRuntime(spec.runtime());
        LocalInvoke.Lifecycle lifecycle = spec.snapStart() && !onDemand ? LocalInvoke.Lifecycle.SNAP_START
                : LocalInvoke.Lifecycle.ON_DEMAND;
        int memory = memoryMb != null ? memoryMb : spec.memoryMb();
        err.println("invoke: " + spec.logicalId() + " " + spec.handler() + ", " + spec.runtime() + ", " + memory
                + " MB, " + spec.timeoutSeconds() + " s timeout; " + jdk.note());
        err.println("invoke: " + (lifecycle == LocalInvoke.Lifecycle.SNAP_START
                ? "SnapStart, as its trigger runs it: init and beforeCheckpoint hooks, restore and afterRestore hooks,"
                        + " then the invocation; credentials from a container-credentials endpoint (--on-demand runs"
                        + " $LATEST instead)"
                : "on demand ($LATEST, as sam local invoke runs it); credentials in environment variables"));
        List<Path> runtimeJars;
        try (Stream<Path> jars = Files.list(runtime)) {
            runtimeJars = jars.filter(path -> path.toString().endsWith(".jar")).sorted().toList();
        }
        List<byte[]> contents = new java.util.ArrayList<>();
        for (Path event : events) {
            contents.add(Files.readAllBytes(event));
        }
        LocalInvoke.Invocation invocation = LocalInvoke.Invocation.builder(spec.handler(), contents.get(0))
                .events(contents).environment(env).memoryMb(memory).timeout(Duration.ofSeconds(spec.timeoutSeconds()))
                .lifecycle(lifecycle).credentials(credentials(host)).jvmOptions(jvmOptions)
                .runtimeCommand(Optional.ofNullable(runtimeCommand)).build();
        List<LocalInvoke.Report> reports = new LocalInvoke(zip, runtimeJars, jdk.java(), spec.runtime())
                .invoke(invocation, out);
        return report(reports, lifecycle, out, err);
    }

    /** What the command needs and cannot find, if anything. */
    private Optional<String> missing(Path target, Path zip, Path runtime) {
        if (!Files.isRegularFile(zip) || !Files.isDirectory(runtime)) {
            return Optional.of("the deployment package or the runtime client is missing in " + target
                    + "; run mvn -DskipTests package first");
        }
        for (Path event : events) {
            if (!Files.isRegularFile(event)) {
                return Optional.of("no event file at " + event);
            }
        }
        if (!Files.isRegularFile(template)) {
            return Optional.of("no template at " + template + " (run from the project folder, or pass --template)");
        }
        return Optional.empty();
    }

    /** Prints each invocation's response and report, as sam does; 0 if every event ran and succeeded. */
    private int report(List<LocalInvoke.Report> reports, LocalInvoke.Lifecycle lifecycle, PrintWriter out,
            PrintWriter err) {
        for (LocalInvoke.Report report : reports) {
            out.println(report.payload());
            report.lines().forEach(out::println);
        }
        out.flush();
        if (lifecycle == LocalInvoke.Lifecycle.SNAP_START) {
            err.println("invoke: the container-credentials endpoint served credentials "
                    + reports.get(reports.size() - 1).credentialRequests() + " time(s)");
        }
        if (reports.size() < events.size()) {
            err.println("invoke: " + (events.size() - reports.size()) + " event(s) not run: the environment ended with"
                    + " the one before (on Lambda a new one would start)");
        }
        return reports.size() == events.size() && reports.stream().allMatch(LocalInvoke.Report::success) ? 0 : 1;
    }

    /** The host's AWS credentials, or sam's placeholders when it has none (enough for a local S3). */
    static CredentialsEndpoint.Credentials credentials(Map<String, String> host) {
        return new CredentialsEndpoint.Credentials(host.getOrDefault("AWS_ACCESS_KEY_ID", "defaultkey"),
                host.getOrDefault("AWS_SECRET_ACCESS_KEY", "defaultsecret"),
                Optional.ofNullable(host.get("AWS_SESSION_TOKEN")));
    }

    /**
     * The function's environment as sam local invoke builds it: each declared variable's template
     * value, replaced by the shell's value of that name if set, replaced by {@code --env-vars}; the
     * host's AWS region; nothing else. Credentials are not variables here: how the function gets
     * them depends on its lifecycle (see {@link LocalInvoke}).
     */
    static Map<String, String> environment(SamTemplate.Function function, Map<String, String> host,
                                           Map<String, String> overrides, String region, PrintWriter err) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_SAM_LOCAL", "true");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_ACCOUNT_ID", SamTemplate.LOCAL_ACCOUNT);
        List<String> blank = new java.util.ArrayList<>();
        function.environment().forEach((name, value) -> {
            String resolved = overrides.getOrDefault(name, host.getOrDefault(name, value));
            env.put(name, resolved);
            if (resolved.isEmpty() && function.unresolved().contains(name)) {
                blank.add(name);
            }
        });
        List<String> ignored = overrides.keySet().stream().filter(name -> !function.environment().containsKey(name))
                .sorted().toList();
        if (!ignored.isEmpty()) {
            err.println("warning: --env-vars sets " + String.join(", ", ignored) + ", which " + function.logicalId()
                    + " does not declare in the template; ignored, as sam local invoke ignores them");
        }
        if (!blank.isEmpty()) {
            err.println("note: " + String.join(", ", blank) + " are blank here, as sam local invoke leaves them: their"
                    + " values need the deployed stack or a parameter without a default; set them with --env-vars or"
                    + " --parameter-overrides");
        }
        return env;
    }

    /**
     * {@code Key=Value} pairs, or sam's {@code ParameterKey=Key,ParameterValue=Value}, separated by
     * spaces within an argument as sam takes them; a value with spaces is quoted.
     */
    static Map<String, String> overrides(List<String> arguments) {
        List<String> pairs = new java.util.ArrayList<>();
        for (String argument : arguments) {
            StringBuilder pair = new StringBuilder();
            char quote = 0;
            for (char c : argument.toCharArray()) {
                if (quote != 0 ? c == quote : c == '"' || c == '\'') {
                    quote = quote != 0 ? 0 : c;
                } else if (quote == 0 && Character.isWhitespace(c)) {
                    pairs.add(pair.toString());
                    pair.setLength(0);
                } else {
                    pair.append(c);
                }
            }
            pairs.add(pair.toString());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            if (pair.isBlank()) {
                continue;
            }
            if (pair.startsWith("ParameterKey=")) {
                int comma = pair.indexOf(",ParameterValue=");
                if (comma < 0) {
                    throw new IllegalArgumentException("--parameter-overrides: " + pair
                            + " has no ParameterValue");
                }
                values.put(pair.substring("ParameterKey=".length(), comma),
                        pair.substring(comma + ",ParameterValue=".length()));
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--parameter-overrides: " + pair + " is not Key=Value");
            }
            values.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return values;
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
