package io.github.kslr.examples.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.testing.SharedFiles;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CaptionPainterTest {
    private static final int W = 320;
    private static final int H = 240;

    @Test
    void darkensTheBandWritesWhiteTextAndLeavesTheRest() {
        CaptionPainter painter = new CaptionPainter(W, H, 2, null);
        try (Mat img = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(100, 150, 200, 0))) {
            painter.draw(img, List.of("sign: hello (87%)", "sentence: hello"));
            ByteBuffer b = img.createBuffer();
            int band = painter.bandHeight();
            int white = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = (y * W + x) * 3;
                    int[] px = {b.get(i) & 0xff, b.get(i + 1) & 0xff, b.get(i + 2) & 0xff};
                    if (y >= band) {
                        assertEquals(List.of(100, 150, 200), List.of(px[0], px[1], px[2]), "below the band " + y);
                    } else if (px[0] == 255 && px[1] == 255 && px[2] == 255) {
                        white++;
                    }
                }
            }
            assertTrue(white > 100, "white text pixels: " + white);
            // Where there is no text (the band's right end), the picture shows through at 45 %.
            int i = (2 * W + W - 2) * 3;
            assertEquals(45, b.get(i) & 0xff, 2);
            assertEquals(90, b.get(i + 2) & 0xff, 2);
        }
    }

    @Test
    void drawsNothingWithoutALineAndRefusesTooMany() {
        CaptionPainter painter = new CaptionPainter(W, H, 1, null);
        try (Mat img = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(100, 150, 200, 0))) {
            painter.draw(img, List.of(""));
            assertEquals(100, ((ByteBuffer) img.createBuffer()).get(0) & 0xff);
            assertThrows(InvalidInputException.class, () -> painter.draw(img, List.of("a", "b")));
        }
        assertFalse(painter.canDrawKhmer());
    }

    /**
     * With a Khmer font (tools/install-test-deps.sh installs fonts-khmeros), Khmer is shaped: a subscript consonant
     * (coeng) sits under its base, so the pair is narrower than the two consonants side by side.
     */
    @Test
    void khmerIsShapedWithAKhmerFont() {
        Optional<Font> font = CaptionPainter.findKhmerFont();
        if (font.isEmpty() && SharedFiles.required()) {
            fail("no Khmer font installed (tools/install-test-deps.sh installs fonts-khmeros)");
        }
        Assumptions.assumeTrue(font.isPresent(), "no Khmer font installed (Debian: fonts-khmeros), skipping");
        CaptionPainter painter = new CaptionPainter(W, H, 1, font.get());
        assertTrue(painter.canDrawKhmer());
        Font f = font.get().deriveFont(40f);
        FontRenderContext frc = new FontRenderContext(null, true, true);
        double stacked = new TextLayout("\u1780\u17d2\u1781", f, frc).getAdvance(); // ក្ខ
        double sideBySide = new TextLayout("\u1780\u1781", f, frc).getAdvance(); // កខ
        assertTrue(stacked < 0.75 * sideBySide, stacked + " vs " + sideBySide);
        try (Mat img = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            painter.draw(img, List.of("\u1781\u17d2\u1789\u17bb\u17c6")); // ខ្ញុំ
            ByteBuffer b = img.createBuffer();
            int lit = 0;
            for (int i = 0; i < W * painter.bandHeight() * 3; i++) {
                lit += (b.get(i) & 0xff) > 128 ? 1 : 0;
            }
            assertTrue(lit > 50, "Khmer text pixels: " + lit);
        }
    }
}
