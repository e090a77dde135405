package dev.postrenderer.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the installed JDK that plays a managed Java runtime ({@code java25} wants Java 25):
 * the one running this command if it matches, else one under {@code JAVA<N>_HOME}, the folders
 * JDK packages install into ({@code /usr/lib/jvm}, {@code /opt/java}, {@code ~/.sdkman} …), or
 * this one as a fallback, said so.
 */
final class JavaRuntimes {

    private static final Pattern RUNTIME = Pattern.compile("java(\\d+)(\\.al2)?");
    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    /** A JDK to run a function with, and why it was chosen. */
    record Jdk(Path java, int feature, String note) {
    }

    private JavaRuntimes() {
    }

    /** The JDK for a runtime such as {@code java25}; this JVM's when none matches. */
    static Jdk forRuntime(String runtime) {
        Path current = Path.of(System.getProperty("java.home"));
        int currentFeature = Runtime.version().feature();
        Matcher matcher = RUNTIME.matcher(runtime);
        if (!matcher.matches()) {
            return new Jdk(java(current), currentFeature, "runtime " + runtime + " is not a Java runtime; using Java "
                    + currentFeature + " at " + current);
        }
        int wanted = Integer.parseInt(matcher.group(1));
        if (currentFeature == wanted) {
            return new Jdk(java(current), wanted, "Java " + wanted + " at " + current + ", for runtime " + runtime);
        }
        for (Path home : candidates(wanted)) {
            if (feature(home).filter(found -> found == wanted).isPresent() && Files.isExecutable(java(home))) {
                return new Jdk(java(home), wanted, "Java " + wanted + " at " + home + ", for runtime " + runtime);
            }
        }
        return new Jdk(java(current), currentFeature, "no Java " + wanted + " JDK found (looked in JAVA" + wanted
                + "_HOME, /usr/lib/jvm, /opt/java, ~/.sdkman/candidates/java); runtime " + runtime
                + " runs on Java " + currentFeature + " at " + current + " instead");
    }

    private static List<Path> candidates(int feature) {
        List<Path> homes = new ArrayList<>();
        Optional.ofNullable(System.getenv("JAVA" + feature + "_HOME")).map(Path::of).ifPresent(homes::add);
        Optional.ofNullable(System.getenv("JAVA_HOME_" + feature + "_X64")).map(Path::of).ifPresent(homes::add);
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(homes::add);
        for (Path folder : List.of(Path.of("/usr/lib/jvm"), Path.of("/opt/java"),
                Path.of(System.getProperty("user.home"), ".sdkman/candidates/java"),
                Path.of("/Library/Java/JavaVirtualMachines"))) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> entries = Files.list(folder)) {
                    entries.sorted().forEach(entry -> {
                        homes.add(entry);
                        homes.add(entry.resolve("Contents/Home"));
                    });
                } catch (IOException e) {
                    // an unreadable folder holds no JDK we can use: look in the others
                    continue;
                }
            }
        }
        return homes;
    }

    private static Optional<Integer> feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher matcher = RELEASE_VERSION.matcher(Files.readString(release));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path java(Path home) {
        return home.resolve("bin").resolve("java");
    }
}
