package dev.postrenderer.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postrenderer.testing.TestImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An image's size and orientation come from its header, for each format, and a bad header is a clear error. */
class ImageHeadersTest {

    @Test
    void aJpegsSizeComesFromItsFrameHeader() {
        assertThat(ImageHeaders.read(TestImages.jpeg(640, 480)))
                .isEqualTo(new ImageFacts(ImageFormat.JPEG, 640, 480, 1, false));
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({"1, 640, 480", "3, 640, 480", "6, 480, 640", "8, 480, 640", "5, 480, 640", "2, 640, 480"})
    void aJpegsExifOrientationTurnsItsDisplayedSize(int orientation, int width, int height) {
        ImageFacts facts = ImageHeaders.read(TestImages.jpegWithExif(640, 480, orientation));

        assertThat(facts.orientation()).isEqualTo(orientation);
        assertThat(facts.width()).isEqualTo(width);
        assertThat(facts.height()).isEqualTo(height);
    }

    @Test
    void aPngSaysWhetherItHasTransparency() {
        assertThat(ImageHeaders.read(TestImages.png(300, 200, false)))
                .isEqualTo(new ImageFacts(ImageFormat.PNG, 300, 200, 1, false));
        assertThat(ImageHeaders.read(TestImages.png(300, 200, true)).alpha()).isTrue();
    }

    @Test
    void aGifsSizeComesFromItsScreenDescriptor() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(33, 17,
                java.awt.image.BufferedImage.TYPE_BYTE_INDEXED), "gif", out);

        assertThat(ImageHeaders.read(out.toByteArray())).extracting(ImageFacts::format, ImageFacts::width,
                ImageFacts::height).containsExactly(ImageFormat.GIF, 33, 17);
    }

    @Test
    void aWebpsSizeComesFromItsFirstChunk() {
        assertThat(ImageHeaders.read(webp("VP8 ", vp8(1024, 768)))).extracting(ImageFacts::width, ImageFacts::height)
                .containsExactly(1024, 768);
        assertThat(ImageHeaders.read(webp("VP8L", vp8l(1000, 500)))).extracting(ImageFacts::width, ImageFacts::height)
                .containsExactly(1000, 500);
        assertThat(ImageHeaders.read(webp("VP8X", vp8x(4000, 3000)))).extracting(ImageFacts::width, ImageFacts::height,
                ImageFacts::alpha).containsExactly(4000, 3000, true);
    }

    @Test
    void theFormatIsTheContentsNotTheNames() {
        assertThat(ImageHeaders.format(TestImages.png(10, 10, false))).contains(ImageFormat.PNG);
        assertThat(ImageHeaders.format("<svg/>".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void aTruncatedHeaderIsAClearError() {
        byte[] jpeg = TestImages.jpegWithExif(640, 480, 6);

        assertThatThrownBy(() -> ImageHeaders.read(Arrays.copyOf(jpeg, 40)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("JPEG header is cut short");
        assertThatThrownBy(() -> ImageHeaders.read(Arrays.copyOf(TestImages.png(10, 10, false), 20)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("PNG header is cut short");
        assertThatThrownBy(() -> ImageHeaders.read("not an image".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidImageException.class).hasMessage("its content is not a JPEG, PNG, GIF or WebP image");
    }

    @Test
    void aHugeExifBlockIsSkippedByItsLength() {
        byte[] plain = TestImages.jpeg(64, 48);
        byte[] app1 = new byte[4 + 65_000];
        app1[0] = (byte) 0xFF;
        app1[1] = (byte) 0xE1;
        app1[2] = (byte) ((65_002 >> 8) & 0xFF);
        app1[3] = (byte) (65_002 & 0xFF);
        System.arraycopy("Exif\0\0MM\0*\u007f\u007f\u007f\u007f".getBytes(StandardCharsets.ISO_8859_1), 0, app1, 4, 14);
        byte[] jpeg = new byte[plain.length + 4 * app1.length];
        System.arraycopy(plain, 0, jpeg, 0, 2);
        for (int i = 0; i < 4; i++) {
            System.arraycopy(app1, 0, jpeg, 2 + i * app1.length, app1.length); // 260 KB of EXIF before the frame
        }
        System.arraycopy(plain, 2, jpeg, 2 + 4 * app1.length, plain.length - 2);

        ImageFacts facts = ImageHeaders.read(jpeg);

        assertThat(facts).isEqualTo(new ImageFacts(ImageFormat.JPEG, 64, 48, 1, false));
    }

    @Test
    void aZeroSizedImageIsMalformed() {
        byte[] png = TestImages.png(10, 10, false);
        Arrays.fill(png, 16, 24, (byte) 0);

        assertThatThrownBy(() -> ImageHeaders.read(png)).isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("malformed");
    }

    private static byte[] webp(String chunk, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(20 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + data.length)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(chunk.getBytes(StandardCharsets.US_ASCII))
                .putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] vp8(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0, 0, 0, (byte) 0x9D, 0x01, 0x2A}).putShort((short) width).putShort((short) height);
        return b.array();
    }

    private static byte[] vp8l(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x2F).putInt((width - 1) | ((height - 1) << 14));
        return b.array();
    }

    private static byte[] vp8x(int width, int height) {
        byte[] b = new byte[10];
        b[0] = 0x10;
        b[4] = (byte) (width - 1);
        b[5] = (byte) ((width - 1) >> 8);
        b[6] = (byte) ((width - 1) >> 16);
        b[7] = (byte) (height - 1);
        b[8] = (byte) ((height - 1) >> 8);
        b[9] = (byte) ((height - 1) >> 16);
        return b;
    }
}
