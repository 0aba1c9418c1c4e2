package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class RoiCropperTest {
    private static final int W = 97;
    private static final int H = 61;

    /** A smooth RGB test pattern, different in each channel. */
    private static int[] rgb(int x, int y) {
        return new int[] {(x * 2 + y) % 256, (y * 3 + 20) % 256, (int) (128 + 100 * Math.sin(x / 9.0 + y / 13.0))};
    }

    private static ImageFrame frame(PixelFormat format, int padding, boolean direct) {
        int bpp = format.bytesPerPixel();
        int stride = W * bpp + padding;
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(stride * H + 5) : ByteBuffer.allocate(stride * H + 5);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] c = rgb(x, y);
                int o = 5 + y * stride + x * bpp;
                boolean bgr = format == PixelFormat.BGR || format == PixelFormat.BGRA;
                buf.put(o, (byte) (bgr ? c[2] : c[0]));
                buf.put(o + 1, (byte) c[1]);
                buf.put(o + 2, (byte) (bgr ? c[0] : c[2]));
                if (bpp == 4) {
                    buf.put(o + 3, (byte) 77);
                }
            }
        }
        buf.position(5);
        return ImageFrame.of(W, H, stride, format, buf, 0);
    }

    /**
     * Bilinear sample at continuous (x, y) (pixel centres at i + 0.5), replicate or zero border. {@code spread[0]}
     * receives the max - min of the four neighbours, which bounds the effect of OpenCV's 1/32 weight quantisation.
     */
    private static double sample(int channel, double x, double y, boolean zero, double[] spread) {
        double fx = x - 0.5, fy = y - 0.5;
        int x0 = (int) Math.floor(fx), y0 = (int) Math.floor(fy);
        double ax = fx - x0, ay = fy - y0;
        double v = 0, lo = 1e9, hi = -1e9;
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                int px = x0 + dx, py = y0 + dy;
                double wgt = (dx == 0 ? 1 - ax : ax) * (dy == 0 ? 1 - ay : ay);
                double p;
                if (px < 0 || py < 0 || px >= W || py >= H) {
                    p = zero ? 0 : rgb(Math.max(0, Math.min(W - 1, px)), Math.max(0, Math.min(H - 1, py)))[channel];
                } else {
                    p = rgb(px, py)[channel];
                }
                v += wgt * p;
                lo = Math.min(lo, p);
                hi = Math.max(hi, p);
            }
        }
        spread[0] = hi - lo;
        return v;
    }

    private static void check(PixelFormat format, int padding, boolean direct, boolean zero) {
        int tw = 40, th = 40;
        // A pixel-square ROI, rotated and partly off the frame, so borders matter.
        NormRect roi = new NormRect(0.8f, 0.3f, 50f / W, 50f / H, (float) Math.toRadians(-35));
        FloatBuffer out = ByteBuffer.allocateDirect((tw * th * 3 + 7) * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        try (RoiCropper c = new RoiCropper(tw, th, -1f, 1f, zero)) {
            c.crop(frame(format, padding, direct), roi, out, 7);
            c.crop(frame(format, padding, direct), roi, out, 7);
        }
        double maxErr = 0;
        double[] spread = new double[1];
        for (int v = 0; v < th; v++) {
            for (int u = 0; u < tw; u++) {
                float nu = (u + 0.5f) / tw, nv = (v + 0.5f) / th;
                double sx = roi.projectX(nu, nv, W, H) * W, sy = roi.projectY(nu, nv, W, H) * H;
                for (int ch = 0; ch < 3; ch++) {
                    double expected = sample(ch, sx, sy, zero, spread) * 2 / 255 - 1;
                    double got = out.get(7 + (v * tw + u) * 3 + ch);
                    // Error in grey levels beyond what weight quantisation (1/32 per axis) and 8-bit rounding allow.
                    double allowed = 1.0 + spread[0] / 32;
                    maxErr = Math.max(maxErr, Math.abs(expected - got) * 255 / 2 - allowed);
                }
            }
        }
        assertEquals(
                true,
                maxErr <= 0,
                format + " padding " + padding + " direct " + direct + " zero " + zero
                        + ": error beyond the quantisation bound " + maxErr + " grey levels");
    }

    @Test
    void cropsMatchABilinearSamplerForEveryFormatStrideAndBorder() {
        for (PixelFormat f : PixelFormat.values()) {
            check(f, 0, true, false);
            check(f, 3, true, true);
            check(f, 2, false, false);
        }
    }

    @Test
    void identityCropReproducesThePixels() {
        FloatBuffer out = ByteBuffer.allocateDirect(W * H * 3 * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        try (RoiCropper c = new RoiCropper(W, H, 0f, 1f, false)) {
            c.crop(frame(PixelFormat.BGRA, 4, true), new NormRect(0.5f, 0.5f, 1f, 1f, 0f), out, 0);
        }
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] c = rgb(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(c[ch] / 255f, out.get((y * W + x) * 3 + ch), 1e-6f);
                }
            }
        }
    }
}
