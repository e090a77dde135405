package dev.postrenderer.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postrenderer.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Variants are smaller, upright, without metadata, and never made of an image over the budget. */
class ImageVariantsTest {

    @Test
    void variantsAreMadeAt480960And1600NeverWiderThanTheOriginal() {
        assertThat(ImageVariants.widthsFor(4000)).containsExactly(480, 960, 1600);
        assertThat(ImageVariants.widthsFor(1600)).containsExactly(480, 960, 1600);
        assertThat(ImageVariants.widthsFor(1200)).containsExactly(480, 960, 1200);
        assertThat(ImageVariants.widthsFor(800)).containsExactly(480, 800);
        assertThat(ImageVariants.widthsFor(480)).containsExactly(480);
        assertThat(ImageVariants.widthsFor(479)).isEmpty();
    }

    @Test
    void aPhotosVariantsHaveTheirSizesAndNoExifOrGps() throws IOException {
        byte[] photo = TestImages.jpegWithExif(2000, 1500, 1);
        assertThat(TestImages.hasExif(photo)).isTrue();

        List<ImageVariant> variants = ImageVariants.make(ImageHeaders.read(photo), photo);

        assertThat(variants).extracting(ImageVariant::width).containsExactly(1600, 960, 480);
        assertThat(variants).extracting(ImageVariant::height).containsExactly(1200, 720, 360);
        for (ImageVariant variant : variants) {
            BufferedImage decoded = decode(variant.content());
            assertThat(decoded.getWidth()).isEqualTo(variant.width());
            assertThat(decoded.getHeight()).isEqualTo(variant.height());
            assertThat(TestImages.hasExif(variant.content())).as("EXIF or GPS in the %d variant", variant.width()).isFalse();
            assertThat(variant.type()).isEqualTo("jpg");
            assertThat(variant.content().length).isLessThan(photo.length);
        }
    }

    @Test
    void orientationSixIsTurnedAQuarterClockwise() throws IOException {
        // stored 1000x600 with red on the left; displayed turned clockwise: red on top
        byte[] photo = TestImages.jpegWithExif(1000, 600, 6);
        ImageFacts facts = ImageHeaders.read(photo);

        ImageVariant largest = ImageVariants.make(facts, photo).get(0);
        BufferedImage upright = decode(largest.content());

        assertThat(upright.getWidth()).isEqualTo(600);
        assertThat(upright.getHeight()).isEqualTo(1000);
        assertThat(isRed(upright.getRGB(300, 100))).as("top is red").isTrue();
        assertThat(isRed(upright.getRGB(300, 900))).as("bottom is blue").isFalse();
    }

    @Test
    void orientationEightIsTurnedAQuarterAnticlockwise() throws IOException {
        byte[] photo = TestImages.jpegWithExif(1000, 600, 8);

        BufferedImage upright = decode(ImageVariants.make(ImageHeaders.read(photo), photo).get(0).content());

        assertThat(upright.getWidth()).isEqualTo(600);
        assertThat(isRed(upright.getRGB(300, 900))).as("bottom is red").isTrue();
        assertThat(isRed(upright.getRGB(300, 100))).as("top is blue").isFalse();
    }

    @Test
    void aPngWithTransparencyStaysPngAndAnOpaqueOneBecomesJpeg() throws IOException {
        byte[] clear = TestImages.png(1000, 500, true);
        byte[] opaque = TestImages.png(1000, 500, false);

        ImageVariant transparent = ImageVariants.make(ImageHeaders.read(clear), clear).get(0);
        ImageVariant solid = ImageVariants.make(ImageHeaders.read(opaque), opaque).get(0);

        assertThat(transparent.type()).isEqualTo("png");
        assertThat(decode(transparent.content()).getRGB(0, 0) >>> 24).as("alpha of the clear corner").isZero();
        assertThat(solid.type()).isEqualTo("jpg");
    }

    @Test
    void anImageOverThePixelBudgetIsRefusedBeforeDecoding() {
        // the header of a 20000x20000 PNG, a "decompression bomb": no pixels follow, so a decode would fail differently
        byte[] bomb = TestImages.png(10, 10, false);
        java.nio.ByteBuffer.wrap(bomb, 16, 8).putInt(20_000).putInt(20_000);
        ImageFacts facts = ImageHeaders.read(bomb);

        assertThat(facts.pixels()).isEqualTo(400_000_000L);
        assertThat(ImageVariants.makesVariants(facts)).isFalse();
        assertThatThrownBy(() -> ImageVariants.make(facts, bomb)).isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("up to 40 megapixels");
    }

    @Test
    void aCorruptImageIsAClearErrorNotACrash() {
        byte[] photo = TestImages.jpeg(1000, 600);
        byte[] corrupt = java.util.Arrays.copyOf(photo, 700); // the header, then nothing

        assertThatThrownBy(() -> ImageVariants.make(ImageHeaders.read(corrupt), corrupt))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("cannot be decoded");
    }

    private static boolean isRed(int rgb) {
        int red = (rgb >> 16) & 0xFF;
        int blue = rgb & 0xFF;
        return red > 180 && blue < 80;
    }

    private static BufferedImage decode(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }
}
