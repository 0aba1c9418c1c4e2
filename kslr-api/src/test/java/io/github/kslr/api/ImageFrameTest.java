package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ImageFrameTest {

    @Test
    void borrowsTheCallersBufferWithoutCopying() {
        ByteBuffer px = ByteBuffer.allocateDirect(4 * 3 * 2);
        ImageFrame f = ImageFrame.packed(4, 2, PixelFormat.RGB, px, 40);
        assertSame(px, f.pixels());
        assertEquals(12, f.rowStride());
        assertEquals(0, f.offset());
        assertEquals(40, f.timestampMs());
    }

    @Test
    void offsetIsTheBufferPositionAndPositionIsNotChanged() {
        ByteBuffer px = ByteBuffer.allocate(100);
        px.position(10);
        ImageFrame f = ImageFrame.of(2, 2, 8, PixelFormat.RGBA, px, 0);
        assertEquals(10, f.offset());
        assertEquals(10, px.position());
        ImageFrame later = f.withTimestamp(33);
        assertEquals(10, later.offset());
        assertEquals(33, later.timestampMs());
    }

    @Test
    void paddedRowsNeedOnlyTheLastRowsPixels() {
        // 3 rows of stride 16 with 2 BGR pixels: the last row needs 6 bytes, so 16 * 2 + 6 = 38 are enough.
        ImageFrame.of(2, 3, 16, PixelFormat.BGR, ByteBuffer.allocate(38), 0);
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> ImageFrame.of(2, 3, 16, PixelFormat.BGR, ByteBuffer.allocate(37), 0));
        assertTrue(e.getMessage().contains("37") && e.getMessage().contains("38"), e.getMessage());
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        ByteBuffer px = ByteBuffer.allocate(1000);
        assertMessage("pixels", () -> ImageFrame.of(2, 2, 6, PixelFormat.RGB, null, 0));
        assertMessage("format", () -> ImageFrame.of(2, 2, 6, null, px, 0));
        assertMessage("width", () -> ImageFrame.of(0, 2, 6, PixelFormat.RGB, px, 0));
        assertMessage("height", () -> ImageFrame.of(2, -1, 6, PixelFormat.RGB, px, 0));
        assertMessage("rowStride", () -> ImageFrame.of(2, 2, -6, PixelFormat.RGB, px, 0));
        assertMessage("rowStride", () -> ImageFrame.of(2, 2, 5, PixelFormat.RGB, px, 0));
        assertMessage("timestampMs", () -> ImageFrame.of(2, 2, 6, PixelFormat.RGB, px, -1));
    }

    @Test
    void hugeDimensionsDoNotOverflowIntoAcceptance() {
        assertThrows(
                InvalidInputException.class,
                () -> ImageFrame.of(100_000, 100_000, 300_000, PixelFormat.RGB, ByteBuffer.allocate(10), 0));
    }

    private static void assertMessage(String word, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertTrue(e.getMessage().contains(word), e.getMessage());
    }
}
