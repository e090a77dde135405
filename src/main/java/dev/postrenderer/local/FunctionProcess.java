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
import java.util.Optional;
import java.util.stream.Stream;

/** The function's process as Lambda watches it: its output, its memory against its size, and stopping it. */
final class FunctionProcess {

    private FunctionProcess() {
    }

    /** Stops the function's process and everything it started. */
    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lambda stops a function whose memory exceeds its size; so does this, watching the process's
     * resident memory.
     */
    static Thread memoryLimit(Process process, int memoryMb, LocalRuntimeApi api) {
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

    static Thread pump(InputStream output, PrintWriter logs) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    logs.println(line);
                }
            } catch (IOException e) {
                logs.println("(the function's output ended: " + e.getMessage() + ")");
            }
            logs.flush();
        }, "function-logs");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The process's peak resident memory (Linux VmHWM), like Lambda's "Max Memory Used". */
    static Optional<Long> peakMemoryMb(long pid) {
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
}
