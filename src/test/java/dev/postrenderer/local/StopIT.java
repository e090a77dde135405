package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A process {@code dev} or {@code invoke} starts is stopped when they stop: each is started as a
 * user starts it (its own process, {@code bin/post-renderer}, which execs its JVM; SIGINT handled as in
 * a terminal's foreground job), stopped with SIGINT (Ctrl-C) or SIGTERM, during start-up or once
 * working, and no process it started, nor any temporary file it made, may be left. {@value #ROUNDS_PROPERTY} rounds of each (1 by
 * default; {@code ./verify.sh --scale} runs 10).
 */
@org.junit.jupiter.api.Order(3) // among the longest: started first
class StopIT {

    static final String ROUNDS_PROPERTY = "stop.rounds";
    private static final int ROUNDS = Integer.getInteger(ROUNDS_PROPERTY, 1);
    /** Accepts connections and never answers: an S3 that keeps a function waiting. */
    private static ServerSocket silentS3;
    private static final Set<Socket> HELD = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void aServerThatNeverAnswers() throws IOException {
        silentS3 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silentS3.isClosed()) {
                try {
                    HELD.add(silentS3.accept());
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "silent-s3");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void closeIt() throws IOException {
        silentS3.close();
        for (Socket socket : HELD) {
            socket.close();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            for (String signal : List.of("INT", "TERM")) {
                cases.add(Arguments.of("dev", signal, "working", round));
                cases.add(Arguments.of("dev", signal, "starting", round));
                cases.add(Arguments.of("invoke", signal, "working", round));
                cases.add(Arguments.of("invoke", signal, "unpacking", round));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} stopped with SIG{1} while {2}, round {3}")
    @MethodSource("cases")
    void nothingItStartedOutlivesIt(String command, String signal, String when, int round, @org.junit.jupiter.api.io.TempDir Path work)
            throws Exception {
        List<String> arguments = command.equals("dev")
                ? List.of("dev", "examples/site", "--port", "0")
                : List.of("invoke", "--event", "events/s3-put.json", "--env-vars", Files.writeString(
                        work.resolve("env.json"), "{\"PublishFunction\":{\"SITE_BUCKET\":\"site\",\"S3_ENDPOINT\":"
                                + "\"http://127.0.0.1:" + silentS3.getLocalPort() + "\"}}").toString());
        // working: dev serves, or the function waits on its first S3 call; starting: S3Mock or the function has just started
        String ready = command.equals("dev") && when.equals("working") ? "serving http://" : null;
        // unpacking: invoke has just made its sandbox and is unpacking the package into it
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Process process = start(arguments, tmp);
        Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
        StringBuilder output = new StringBuilder();
        CountDownLatch readyLine = new CountDownLatch(1);
        Thread reader = new Thread(() -> read(process, output, ready, readyLine), "output");
        reader.start();

        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        boolean going = false;
        while (!going && System.nanoTime() < deadline && process.isAlive()) {
            process.descendants().forEach(started::add);
            going = when.equals("unpacking") ? holdsASandbox(tmp)
                    : !started.isEmpty() && (ready == null || readyLine.await(100, TimeUnit.MILLISECONDS));
            Thread.sleep(when.equals("unpacking") ? 2 : 50);
        }
        assertThat(going).as(command + " started a process and got going: " + output).isTrue();
        if (command.equals("invoke") && when.equals("working")) {
            Thread.sleep(1_500); // the function's JVM is up and waiting on S3
        }
        process.descendants().forEach(started::add);

        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command + " ended on SIG" + signal + ": " + output).isTrue();
        reader.join(5_000);
        long stopBy = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < stopBy) {
            Thread.sleep(100);
        }
        assertThat(started.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine()
                .orElse(""))).as("processes " + command + " started, still running after it stopped").isEmpty();
        assertThat(process.exitValue()).as("a JVM stopped by a signal").isEqualTo(signal.equals("INT") ? 130 : 143);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(Path::getFileName)).as("temporary files " + command + " made, left after it stopped")
                    .isEmpty();
        }
    }

    private static boolean holdsASandbox(Path tmp) throws IOException {
        try (Stream<Path> made = Files.list(tmp)) {
            return made.anyMatch(path -> path.getFileName().toString().startsWith("post-renderer-invoke"));
        }
    }

    /**
     * {@code bin/post-renderer …} with SIGINT handled: a job a non-interactive shell
     * starts in the background inherits SIGINT ignored, which a terminal's foreground job does not;
     * {@code env --default-signal=INT} (GNU coreutils) gives it back its default.
     */
    private static Process start(List<String> arguments, Path tmp) throws IOException, InterruptedException {
        ProcessBuilder builder = Cli.builder(arguments);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        if (defaultSignalSupported()) {
            List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
            command.addAll(builder.command());
            builder.command(command);
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("S3_ENDPOINT"));
        return builder.start();
    }

    private static boolean defaultSignalSupported() {
        try {
            return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void read(Process process, StringBuilder output, String ready, CountDownLatch readyLine) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (ready != null && line.contains(ready)) {
                    readyLine.countDown();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
