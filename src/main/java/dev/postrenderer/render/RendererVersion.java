package dev.postrenderer.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/** The release of this renderer, and the version string pages record: {@code 0.1.0+1a2b3c4d}. */
final class RendererVersion {

    /** The release, from the build. */
    static final String RELEASE = release();

    private RendererVersion() {
    }

    static String of(RenderOptions options, PageLayout layout) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(options.toString().getBytes(StandardCharsets.UTF_8));
            digest.update(layout.fingerprint().getBytes(StandardCharsets.UTF_8));
            return RELEASE + "+" + HexFormat.of().formatHex(digest.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String release() {
        try (InputStream in = RendererVersion.class.getResourceAsStream("/dev/postrenderer/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
