package dev.postrenderer.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Runs the deployment package the way Lambda's managed Java runtime does, without Docker: a
 * fresh JVM with the runtime's flags and memory limits, the real runtime interface client
 * ({@code aws-lambda-java-runtime-interface-client}) as its main class, and a local
 * {@link LocalRuntimeApi} that hands it one event. What {@code sam local invoke} does in a
 * container, measured the same way: init duration, duration, and the process's peak memory.
 */
final class LocalInvoke {

    /** The runtime interface client's entry point. */
    static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private final Path packageZip;
    private final List<Path> runtimeJars;
    private final Path javaExecutable;
    private final String runtime;

    /** What happened, for the REPORT line. */
    record Report(String requestId, boolean success, String payload, double initMillis, double durationMillis,
                  int memorySizeMb, Optional<Long> maxMemoryUsedMb) {

        /** Lambda's REPORT line. */
        String line() {
            return String.format(Locale.ROOT,
                    "REPORT RequestId: %s\tInit Duration: %.2f ms\tDuration: %.2f ms\tBilled Duration: %d ms"
                            + "\tMemory Size: %d MB\tMax Memory Used: %s MB",
                    requestId, initMillis, durationMillis, (long) Math.ceil(durationMillis), memorySizeMb,
                    maxMemoryUsedMb.map(String::valueOf).orElse("n/a"));
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
        this.packageZip = Objects.requireNonNull(deployed, "deployed == null");
        // absolute: the function's JVM runs in its task folder
        this.runtimeJars = runtimeJars.stream().map(Path::toAbsolutePath).toList();
        this.javaExecutable = Objects.requireNonNull(java, "java == null");
        this.runtime = Objects.requireNonNull(runtime, "runtime == null");
    }

    /**
     * Invokes the function once.
     *
     * @param handler  {@code class::method}
     * @param event    the event JSON, passed through unchanged
     * @param env      the function's environment
     * @param memoryMb the configured memory, which sets the JVM's limits as Lambda does
     * @param timeout  the function timeout
     * @param logs     where the function's log lines go
     */
    Report invoke(String handler, byte[] event, Map<String, String> env, int memoryMb, Duration timeout,
                  PrintWriter logs) throws IOException, InterruptedException {
        return invoke(null, handler, event, env, memoryMb, timeout, List.of(), logs);
    }

    /**
     * Invokes a function once.
     *
     * @param runtimeCommand the command that runs the function under the Runtime API, or null for
     *                     this package under the Java runtime
     * @param jvmOptions   extra options for the Java runtime's JVM
     */
    Report invoke(List<String> runtimeCommand, String handler, byte[] event, Map<String, String> env, int memoryMb,
                  Duration timeout, List<String> jvmOptions, PrintWriter logs) throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("post-renderer-invoke");
        try {
            Path task = Files.isDirectory(packageZip) ? packageZip : unzip(packageZip, workDir.resolve("task"));
            String functionName = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "PublishFunction");
            String arn = "arn:aws:lambda:" + env.getOrDefault("AWS_REGION", "us-east-1") + ":000000000000:function:"
                    + functionName;
            try (LocalRuntimeApi api = new LocalRuntimeApi(event, arn, timeout)) {
                ProcessBuilder builder = new ProcessBuilder(runtimeCommand != null ? runtimeCommand
                        : command(task, handler, memoryMb, jvmOptions))
                        .directory(runtimeCommand != null ? null : task.toFile())
                        .redirectErrorStream(true);
                builder.environment().clear();
                builder.environment().putAll(env);
                builder.environment().putAll(lambdaEnvironment(api.address(), handler, functionName, memoryMb, task,
                        runtime, timeout));
                long started = System.nanoTime();
                Process process = builder.start();
                Thread pump = pump(process.getInputStream(), logs);
                process.onExit().thenAccept(ended -> api.processEnded(ended.exitValue()));
                Thread limit = memoryLimit(process, memoryMb, api);
                LocalRuntimeApi.Outcome outcome;
                Optional<Long> peak;
                try {
                    outcome = api.await(timeout.plusSeconds(60));
                    peak = peakMemoryMb(process.pid());
                    limit.interrupt();
                } catch (TimeoutException e) {
                    outcome = new LocalRuntimeApi.Outcome(false, "{\"errorMessage\":\"Task timed out after "
                            + timeout.toSeconds() + " seconds\",\"errorType\":\"Sandbox.Timedout\"}", "Sandbox.Timedout",
                            api.eventDeliveredAt(), System.nanoTime());
                    peak = peakMemoryMb(process.pid());
                } finally {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor();
                    pump.join(5000);
                }
                long delivered = outcome.eventDeliveredNanos() == 0 ? outcome.endedNanos() : outcome.eventDeliveredNanos();
                return new Report(api.requestId(), outcome.success(), outcome.body(),
                        (delivered - started) / 1e6, (outcome.endedNanos() - delivered) / 1e6, memoryMb, peak);
            }
        } finally {
            deleteTree(workDir);
        }
    }

    /**
     * The java command of Lambda's Java 17+ runtimes, as dissected from inside a function (see the
     * README): a heap of 85 % of the memory size, no metaspace or code cache cap, serial GC, class
     * data sharing, C1 only.
     */
    List<String> command(Path task, String handler, int memoryMb, List<String> extraOptions) {
        long kb = memoryMb * 1024L;
        List<String> command = new ArrayList<>(List.of(
                javaExecutable.toString(),
                "-XX:MaxHeapSize=" + (kb * 85 / 100) + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr"));
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(classpath(task));
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

    private static Map<String, String> lambdaEnvironment(String runtimeApi, String handler, String functionName,
                                                         int memoryMb, Path task, String runtime, Duration timeout) {
        return Map.ofEntries(
                Map.entry("AWS_LAMBDA_FUNCTION_TIMEOUT", Long.toString(timeout.toSeconds())),
                Map.entry("AWS_LAMBDA_FUNCTION_HANDLER", handler),
                Map.entry("AWS_LAMBDA_RUNTIME_API", runtimeApi),
                Map.entry("_HANDLER", handler),
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", functionName),
                Map.entry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
                Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb)),
                Map.entry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
                Map.entry("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime),
                Map.entry("LAMBDA_TASK_ROOT", task.toString()),
                Map.entry("TZ", ":UTC"),
                Map.entry("LANG", "en_US.UTF-8"));
    }

    /**
     * Lambda stops a function whose memory exceeds its size; so does this, watching the process's
     * resident memory.
     */
    private static Thread memoryLimit(Process process, int memoryMb, LocalRuntimeApi api) {
        Thread thread = new Thread(() -> {
            try {
                while (process.isAlive()) {
                    Optional<Long> resident = residentMb(process.pid());
                    if (resident.isPresent() && resident.get() > memoryMb) {
                        api.outOfMemory(memoryMb, resident.get());
                        process.destroyForcibly();
                        return;
                    }
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                // the invocation is over: stop watching
                Thread.currentThread().interrupt();
            }
        }, "memory-limit");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Optional<Long> residentMb(long pid) {
        return status(pid, "VmRSS:");
    }

    private static Thread pump(InputStream output, PrintWriter logs) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    logs.println(line);
                }
            } catch (IOException e) {
                logs.println("(the function's output ended: " + e.getMessage() + ")");
            }
        }, "function-logs");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The process's peak resident memory (Linux VmHWM), like Lambda's "Max Memory Used". */
    private static Optional<Long> peakMemoryMb(long pid) {
        return status(pid, "VmHWM:");
    }

    private static Optional<Long> status(long pid, String field) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(line -> line.startsWith(field))
                    .map(line -> line.replaceAll("\\D+", ""))
                    .map(Long::parseLong)
                    .map(kb -> (kb + 1023) / 1024)
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry escapes its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(in, file);
                }
            }
        }
        return target;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
