package dev.postrenderer.local;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code post-renderer} command line: {@code java -jar target/post-renderer.jar COMMAND ...}. */
@Command(name = "post-renderer",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Renders markdown posts with front matter into complete HTML pages.",
        subcommands = {RenderCommand.class, DevCommand.class, InvokeCommand.class, EventCommand.class, RerenderCommand.class,
                CommandLine.HelpCommand.class})
public final class Cli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the command line with the given output streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Cli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"post-renderer " + (version == null ? "(development build)" : version)};
        }
    }
}
