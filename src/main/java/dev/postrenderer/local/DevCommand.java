package dev.postrenderer.local;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dev SOURCE_DIR [--port 8080]}: the local version of the whole product, until Ctrl-C.
 * See {@link DevSession}.
 */
@Command(name = "dev",
        description = {"Publishes SOURCE_DIR through the real function into a local S3 (S3Mock), serves the site"
                + " bucket with the distribution's URL rules and headers, and publishes again on every change or"
                + " delete. Ctrl-C stops everything it started."},
        mixinStandardHelpOptions = true)
final class DevCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SOURCE_DIR", description = "Folder laid out like the source bucket (posts/, img/, ...).")
    private Path sourceDir;

    @Option(names = "--port", defaultValue = "8080", description = "Port of the preview server (default ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--s3-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the local S3, for invoke or sam local invoke beside dev (default: any free port).")
    private int s3Port;

    @Option(names = "--site-name", paramLabel = "NAME", description = "Site name (env SITE_NAME).")
    private String siteName;

    @Option(names = "--site-description", paramLabel = "TEXT",
            description = "What the site is about, for the front page when no index.md says (env SITE_DESCRIPTION).")
    private String siteDescription;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(sourceDir)) {
            err.println("error: SOURCE_DIR " + sourceDir + " is not a folder");
            return 2;
        }
        Path target = buildDirectory();
        Path jar = target.resolve("tools/s3mock-5.2.0-exec.jar");
        if (!Files.isRegularFile(jar)) {
            err.println("error: the local S3 server is missing (" + jar + "); run mvn -DskipTests package first");
            return 2;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("SITE_URL"); // pages link to the preview server
        if (siteName != null) {
            env.put("SITE_NAME", siteName);
        }
        if (siteDescription != null) {
            env.put("SITE_DESCRIPTION", siteDescription);
        }
        // Ctrl-C and SIGTERM end here, even during start-up: the session stops its server and the local S3,
        // and its files go
        AtomicReference<Path> files = new AtomicReference<>();
        AtomicReference<DevSession> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Optional.ofNullable(running.get()).ifPresent(DevSession::close);
            Optional.ofNullable(files.get()).ifPresent(Sandbox::deleteTreeWhenReleased);
            stopped.countDown();
        }, "stop-dev"));
        Path storage = Files.createTempDirectory("post-renderer-dev");
        files.set(storage);
        out.println("starting a local S3 and publishing " + sourceDir + " ...");
        out.flush();
        DevSession session;
        try {
            session = DevSession.start(new DevSession.Setup(sourceDir, jar, storage.resolve("s3"), port, s3Port), env, out);
        } catch (UncheckedIOException | IllegalStateException e) {
            Sandbox.deleteTreeWhenReleased(storage);
            err.println("error: " + e.getMessage());
            return 1;
        }
        running.set(session);
        out.println("serving " + session.address() + " (local S3 at " + session.s3Endpoint()
                + "); watching " + sourceDir + " for changes; Ctrl-C to stop");
        out.flush();
        stopped.await();
        return 0;
    }

    private static Path buildDirectory() throws URISyntaxException {
        return Path.of(DevCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }
}
