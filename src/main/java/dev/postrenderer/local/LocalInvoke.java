package dev.postrenderer.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Runs the deployment package the way Lambda's managed Java runtime runs it, without Docker: a
 * fresh JVM with the runtime's flags and memory limits, the real runtime interface client
 * ({@code aws-lambda-java-runtime-interface-client}) as its main class, in a {@link Sandbox} of its
 * own, and a local {@link LocalRuntimeApi} that hands it one event. For a SnapStart function the
 * lifecycle is a published version's: init with the {@code beforeCheckpoint} hooks, the restore
 * with the {@code afterRestore} hooks, then the invocation, with credentials only from a
 * {@link CredentialsEndpoint}; on demand it is {@code $LATEST}'s, with credentials in the
 * environment, as {@code sam local invoke} runs it. Timeouts are Lambda's: the invocation is
 * stopped when it outlives the function's timeout. Measured the same way as Lambda measures:
 * init, restore and invocation durations, and the process's peak memory.
 */
final class LocalInvoke {

    /** The runtime interface client's entry point. */
    static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Where the Java runtime's {@code org.crac} hooks go: the runtime interface client's implementation, as on Lambda. */
    static final String CRAC_COMPAT = "com.amazonaws.services.lambda.crac";
    /** The client loads its JNI library from this path when set, as Lambda sets it, instead of extracting it to /tmp. */
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    /** Lambda's limit on an on-demand init, after which it tries again within the invocation's timeout. */
    private static final Duration ON_DEMAND_INIT = Duration.ofSeconds(10);
    /** Lambda's limit on the init of a SnapStart version (it runs when the version is published). */
    private static final Duration SNAP_START_INIT = Duration.ofMinutes(15);
    /** Lambda's limit on a restore with its {@code afterRestore} hooks. */
    private static final Duration RESTORE = Duration.ofSeconds(10);

    /** How an execution environment starts. */
    enum Lifecycle {
        /** {@code $LATEST}, or any version without SnapStart: init, then the invocation. */
        ON_DEMAND("on-demand"),
        /** A published SnapStart version: init and checkpoint, restore, then the invocation. */
        SNAP_START("snap-start");

        private final String initializationType;

        Lifecycle(String initializationType) {
            this.initializationType = initializationType;
        }

        /** The value of {@code AWS_LAMBDA_INITIALIZATION_TYPE}. */
        String initializationType() {
            return initializationType;
        }
    }

    private final Path deployed;
    private final List<Path> runtimeJars;
    private final Path javaExecutable;
    private final String runtime;

    /**
     * One invocation: what to run, with what, how; made with {@link #builder}.
     *
     * @param runtimeCommand another runtime under the same Runtime API instead of the Java package
     */
    record Invocation(String handler, List<byte[]> events, Map<String, String> environment, int memoryMb,
                      Duration timeout, Lifecycle lifecycle, CredentialsEndpoint.Credentials credentials,
                      List<String> jvmOptions, Optional<List<String>> runtimeCommand) {
        Invocation {
            Objects.requireNonNull(handler, "handler == null");
            events = List.copyOf(events);
            if (events.isEmpty()) {
                throw new IllegalArgumentException("no event");
            }
            environment = Map.copyOf(environment);
            Objects.requireNonNull(timeout, "timeout == null");
            Objects.requireNonNull(lifecycle, "lifecycle == null");
            Objects.requireNonNull(credentials, "credentials == null");
            jvmOptions = List.copyOf(jvmOptions);
            Objects.requireNonNull(runtimeCommand, "runtimeCommand == null");
        }

        /** An invocation of this handler with this event: as deployed (SnapStart), 512 MB, 300 s, placeholder credentials. */
        static Builder builder(String handler, byte[] event) {
            return new Builder(handler).events(List.of(event));
        }

        /** Builds an invocation field by field. */
        static final class Builder {
            private final String handler;
            private List<byte[]> events = List.of();
            private Map<String, String> environment = Map.of();
            private int memoryMb = 512;
            private Duration timeout = Duration.ofSeconds(300);
            private Lifecycle lifecycle = Lifecycle.SNAP_START;
            private CredentialsEndpoint.Credentials credentials = new CredentialsEndpoint.Credentials("defaultkey",
                    "defaultsecret", Optional.empty());
            private List<String> jvmOptions = List.of();
            private Optional<List<String>> runtimeCommand = Optional.empty();

            private Builder(String handler) {
                this.handler = handler;
            }

            /** The events, handled one after another by the same environment, as a warm one handles them. */
            Builder events(List<byte[]> value) {
                this.events = value;
                return this;
            }

            Builder environment(Map<String, String> value) {
                this.environment = value;
                return this;
            }

            Builder memoryMb(int value) {
                this.memoryMb = value;
                return this;
            }

            Builder timeout(Duration value) {
                this.timeout = value;
                return this;
            }

            Builder lifecycle(Lifecycle value) {
                this.lifecycle = value;
                return this;
            }

            Builder credentials(CredentialsEndpoint.Credentials value) {
                this.credentials = value;
                return this;
            }

            Builder jvmOptions(List<String> value) {
                this.jvmOptions = value;
                return this;
            }

            Builder runtimeCommand(Optional<List<String>> value) {
                this.runtimeCommand = value;
                return this;
            }

            Invocation build() {
                return new Invocation(handler, events, environment, memoryMb, timeout, lifecycle, credentials,
                        jvmOptions, runtimeCommand);
            }
        }
    }

    /** How long each phase took, in milliseconds: init, restore (SnapStart only) and the invocation. */
    record Durations(double initMillis, double restoreMillis, double durationMillis) {
    }

    /** The function's memory size, and the process's peak resident memory if it could be read. */
    record Memory(int sizeMb, Optional<Long> maxUsedMb) {
    }

    /**
     * What happened to one event, for the report lines.
     *
     * @param warm whether an earlier event started the environment it ran in
     */
    record Report(String requestId, boolean success, String payload, Lifecycle lifecycle, boolean warm,
                  Durations durations, Memory memory, boolean timedOut, int credentialRequests) {

        /**
         * Lambda's report lines: for an on-demand start, the REPORT line with its Init Duration; for a
         * restored SnapStart version, the init's INIT_REPORT (on Lambda it is logged when the version is
         * published) and the REPORT line with Restore Duration instead; for a warm invocation, the
         * REPORT line alone.
         */
        List<String> lines() {
            String memory = String.format(Locale.ROOT, "Memory Size: %d MB\tMax Memory Used: %s MB", memory().sizeMb(),
                    memory().maxUsedMb().map(String::valueOf).orElse("n/a"));
            double initMillis = durations.initMillis();
            double restoreMillis = durations.restoreMillis();
            double durationMillis = durations.durationMillis();
            String status = timedOut ? "\tStatus: timeout" : "";
            String duration = String.format(Locale.ROOT, "Duration: %.2f ms\tBilled Duration: %d ms", durationMillis,
                    (long) Math.ceil(durationMillis));
            if (warm) {
                return List.of(String.format(Locale.ROOT, "REPORT RequestId: %s\t%s\t%s%s", requestId, duration, memory,
                        status));
            }
            if (lifecycle == Lifecycle.SNAP_START) {
                return List.of(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms", initMillis),
                        String.format(Locale.ROOT, "REPORT RequestId: %s\t%s\t%s\tRestore Duration: %.2f ms"
                                        + "\tBilled Restore Duration: %d ms%s", requestId, duration, memory, restoreMillis,
                                (long) Math.ceil(restoreMillis), status));
            }
            return List.of(String.format(Locale.ROOT, "REPORT RequestId: %s\tInit Duration: %.2f ms\t%s\t%s%s",
                    requestId, initMillis, duration, memory, status));
        }
    }

    /**
     * @param deployed    the deployment package: the zip, or a folder holding its contents (what
     *                    {@code sam build} leaves in its artifacts folder)
     * @param runtimeJars the runtime interface client and what it needs
     * @param java        the {@code java} executable of the JDK that plays the managed runtime
     * @param runtime     the managed runtime's name, such as {@code java25}
     */
    LocalInvoke(Path deployed, List<Path> runtimeJars, Path java, String runtime) {
        this.deployed = Objects.requireNonNull(deployed, "deployed == null");
        // absolute: the function's JVM runs in its task folder
        this.runtimeJars = runtimeJars.stream().map(Path::toAbsolutePath).toList();
        this.javaExecutable = Objects.requireNonNull(java, "java == null");
        this.runtime = Objects.requireNonNull(runtime, "runtime == null");
    }

    /**
     * Invokes the function with each event in turn, in one environment as long as none ends it (a
     * timeout, running out of memory, the runtime exiting); its log lines go to {@code logs}.
     * Returns a report per event that ran.
     */
    List<Report> invoke(Invocation invocation, PrintWriter logs) throws IOException, InterruptedException {
        Teardown teardown = new Teardown();
        // the function's process and its files end with this one, however this one ends (Ctrl-C, SIGTERM, an
        // error), even while the package is still being unpacked
        Thread hook = new Thread(teardown, "stop-function");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return invoke(invocation, logs, teardown);
        } finally {
            teardown.run();
            removeHook(hook);
        }
    }

    private List<Report> invoke(Invocation invocation, PrintWriter logs, Teardown teardown)
            throws IOException, InterruptedException {
        Sandbox sandbox = teardown.layOut(deployed);
        try (CredentialsEndpoint credentials = new CredentialsEndpoint(invocation.credentials(), Clock.systemUTC())) {
            Map<String, String> env = invocation.environment();
            String functionName = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "PublishFunction");
            String arn = "arn:aws:lambda:" + env.getOrDefault("AWS_REGION", "us-east-1") + ":000000000000:function:"
                    + functionName + (invocation.lifecycle() == Lifecycle.SNAP_START ? ":live" : "");
            try (LocalRuntimeApi api = new LocalRuntimeApi(invocation.events(), arn, invocation.timeout())) {
                ProcessBuilder builder = new ProcessBuilder(invocation.runtimeCommand()
                        .orElse(command(sandbox, invocation.handler(), invocation.memoryMb(), invocation.jvmOptions())))
                        .directory(invocation.runtimeCommand().isPresent() ? null : sandbox.task().toFile())
                        .redirectErrorStream(true);
                builder.environment().clear();
                builder.environment().putAll(environment(invocation, functionName, sandbox, api, credentials));
                long started = System.nanoTime();
                Process process = teardown.start(builder);
                try {
                    Thread pump = FunctionProcess.pump(process.getInputStream(), logs);
                    process.onExit().thenAccept(ended -> api.processEnded(ended.exitValue()));
                    Thread limit = FunctionProcess.memoryLimit(process, invocation.memoryMb(), api);
                    List<Report> reports = new ArrayList<>();
                    long phaseStarted = started;
                    for (int event = 0; event < api.events(); event++) {
                        LocalRuntimeApi.Outcome outcome = run(api, event, invocation);
                        Optional<Long> peak = FunctionProcess.peakMemoryMb(process.pid());
                        boolean last = event == api.events() - 1 || outcome.endedTheEnvironment();
                        if (last) {
                            limit.interrupt();
                            FunctionProcess.stop(process);
                            pump.join(5000);
                            outcome = readOnlyTask(sandbox, outcome);
                        }
                        reports.add(report(api.requestId(event), invocation, event > 0, phaseStarted, outcome, peak,
                                credentials.served()));
                        if (last) {
                            break;
                        }
                        phaseStarted = outcome.endedNanos();
                    }
                    return reports;
                } finally {
                    FunctionProcess.stop(process);
                }
            }
        }
    }

    /**
     * Waits for each phase of one event within Lambda's limit for it; a phase that overruns ends the
     * invocation as Lambda ends it. The first event waits for the init (and restore); a later one
     * is asked for as soon as the one before it is answered.
     */
    private static LocalRuntimeApi.Outcome run(LocalRuntimeApi api, int event, Invocation invocation)
            throws InterruptedException {
        Duration start = event > 0 ? invocation.timeout()
                : invocation.lifecycle() == Lifecycle.SNAP_START ? SNAP_START_INIT.plus(RESTORE)
                : ON_DEMAND_INIT.plus(invocation.timeout());
        try {
            if (!api.awaitDelivery(event, start)) {
                return api.await(event, Duration.ZERO);
            }
        } catch (TimeoutException e) {
            return api.timedOut(event, "the runtime did not ask for the event within " + start.toSeconds() + " s");
        }
        try {
            return api.await(event, invocation.timeout());
        } catch (TimeoutException e) {
            return api.timedOut(event, String.format(Locale.ROOT, "Task timed out after %.2f seconds",
                    invocation.timeout().toMillis() / 1000.0));
        }
    }

    /** On Lambda the task folder cannot be written; as root here it can, so a write is caught afterwards. */
    private static LocalRuntimeApi.Outcome readOnlyTask(Sandbox sandbox, LocalRuntimeApi.Outcome outcome)
            throws IOException {
        List<String> changed = sandbox.taskChanges();
        if (changed.isEmpty()) {
            return outcome;
        }
        return new LocalRuntimeApi.Outcome(false, "{\"errorMessage\":\"the function wrote to its task folder"
                + " (LAMBDA_TASK_ROOT), which is read-only on Lambda: " + String.join(", ", changed).replace("\"", "'")
                + "\",\"errorType\":\"Runtime.ReadOnlyFileSystem\"}", "Runtime.ReadOnlyFileSystem",
                outcome.restoreRequestedNanos(), outcome.eventDeliveredNanos(), outcome.endedNanos());
    }

    private static Report report(String requestId, Invocation invocation, boolean warm, long started,
                                 LocalRuntimeApi.Outcome outcome, Optional<Long> peak, int credentialRequests) {
        long delivered = outcome.eventDeliveredNanos() == 0 ? outcome.endedNanos() : outcome.eventDeliveredNanos();
        long initEnded = !warm && invocation.lifecycle() == Lifecycle.SNAP_START && outcome.restoreRequestedNanos() != 0
                ? outcome.restoreRequestedNanos() : delivered;
        boolean timedOut = "Sandbox.Timedout".equals(outcome.errorType());
        return new Report(requestId, outcome.success(), outcome.body(), invocation.lifecycle(), warm,
                new Durations((initEnded - started) / 1e6, (delivered - initEnded) / 1e6,
                        (outcome.endedNanos() - delivered) / 1e6),
                new Memory(invocation.memoryMb(), peak), timedOut, credentialRequests);
    }

    /**
     * The java command of Lambda's Java 17+ runtimes, as dissected from inside a function (see the
     * README): a heap of 85 % of the memory size, no metaspace or code cache cap, serial GC, class
     * data sharing, C1 only, the {@code org.crac} hooks bound to the runtime client, and its JNI
     * library at a fixed path of the runtime; here also the sandbox's temporary folder.
     */
    List<String> command(Sandbox sandbox, String handler, int memoryMb, List<String> extraOptions) throws IOException {
        long kb = memoryMb * 1024L;
        List<String> command = new ArrayList<>(List.of(
                javaExecutable.toString(),
                "-XX:MaxHeapSize=" + (kb * 85 / 100) + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=" + CRAC_COMPAT,
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                "-Djava.io.tmpdir=" + sandbox.tmp()));
        Optional<Path> client = runtimeJars.stream().filter(jar -> jar.getFileName().toString()
                .startsWith("aws-lambda-java-runtime-interface-client")).findFirst();
        if (client.isPresent()) {
            Optional<Path> jni = sandbox.jniLibrary(client.get());
            if (jni.isPresent()) {
                command.add("-D" + JNI_PROPERTY + "=" + jni.get());
            }
        }
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(classpath(sandbox.task()));
        command.add(RUNTIME_CLIENT);
        command.add(handler);
        return command;
    }

    private String classpath(Path task) {
        List<String> entries = new ArrayList<>();
        entries.add(task.toString());
        entries.add(task.resolve("lib").toString() + "/*");
        runtimeJars.forEach(jar -> entries.add(jar.toString()));
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * The function's environment: its own variables, then what Lambda adds. A SnapStart function
     * gets its credentials from the endpoint, never as variables; an on-demand one as variables.
     */
    private Map<String, String> environment(Invocation invocation, String functionName, Sandbox sandbox,
                                            LocalRuntimeApi api, CredentialsEndpoint endpoint) {
        Map<String, String> env = new LinkedHashMap<>(invocation.environment());
        for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
            env.remove(name);
        }
        CredentialsEndpoint.Credentials credentials = invocation.credentials();
        if (invocation.lifecycle() == Lifecycle.SNAP_START) {
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.uri());
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", endpoint.token());
        } else {
            env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
            credentials.sessionToken().ifPresent(token -> env.put("AWS_SESSION_TOKEN", token));
        }
        Duration timeout = invocation.timeout();
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Long.toString(timeout.toSeconds()));
        env.put("AWS_LAMBDA_FUNCTION_HANDLER", invocation.handler());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", invocation.handler());
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", invocation.lifecycle() == Lifecycle.SNAP_START ? "1" : "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(invocation.memoryMb()));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", invocation.lifecycle().initializationType());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
        env.put("LAMBDA_TASK_ROOT", sandbox.task().toString());
        env.put("TMPDIR", sandbox.tmp().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        return env;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run, which is what it is for
            return;
        }
    }
}
