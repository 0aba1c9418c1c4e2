package io.github.kslr.landmarks;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGBA2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Crops a rotated region of the caller's frame into a model's NHWC float input, as MediaPipe's
 * {@code ImageToTensorCalculator} does: one OpenCV {@code warpAffine} (bilinear, sampling at output pixel centres as
 * MediaPipe's GL path does) reads the caller's pixels in place into a small 8-bit crop of the tensor's size, and one
 * conversion ({@code convertTo} with the value range's scale and offset) writes RGB floats into a {@link Mat} that
 * wraps the tensor's direct buffer. BGR crops are swapped to RGB in place in that float buffer; 4-channel crops drop
 * alpha through a reused 8-bit 3-channel crop first, since OpenCV cannot change the channel count while converting.
 *
 * <p>Regions leaving the frame are filled per the border mode: replicate (landmark models) or zero, i.e. black
 * (detectors), which maps to the range's minimum.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one cropper per model input per landmarker. It owns native Mats (freed
 * by {@link #close()}); it borrows the frame's pixels only during {@link #crop} and never keeps them.
 */
final class RoiCropper implements AutoCloseable {
    private final int width;
    private final int height;
    private final float min;
    private final float max;
    private final boolean zeroBorder;
    private final Mat crop3 = new Mat();
    private final Mat crop4 = new Mat();
    private final Mat matrix = new Mat(2, 3, CV_64F);
    private final DoubleIndexer matrixIndex = matrix.createIndexer();
    private final Size size;
    private final Scalar black = new Scalar(0.0);
    private Mat source;
    private BytePointer sourcePointer;
    private ByteBuffer sourceBuffer;
    private long sourceKey = Long.MIN_VALUE;
    private ByteBuffer heapCopy;
    /** Mats over the target buffer, one per batch item written (index offset / item floats). */
    private Mat[] targets = new Mat[1];

    private FloatBuffer targetBuffer;
    private Mat oddTarget;
    private int oddOffset = -1;

    /**
     * @param width tensor width in pixels
     * @param height tensor height in pixels
     * @param min value for a 0 pixel
     * @param max value for a 255 pixel
     * @param zeroBorder true for a black border, false to replicate edge pixels
     */
    RoiCropper(int width, int height, float min, float max, boolean zeroBorder) {
        this.width = width;
        this.height = height;
        this.min = min;
        this.max = max;
        this.zeroBorder = zeroBorder;
        this.size = new Size(width, height);
    }

    /**
     * Writes the crop of {@code roi} (image-normalised; its rotation in radians) into {@code out} at float index
     * {@code offset}, as {@code height x width x 3} RGB floats.
     */
    void crop(ImageFrame frame, NormRect roi, FloatBuffer out, int offset) {
        Mat src = wrap(frame);
        double w = frame.width(), h = frame.height();
        double rw = roi.width() * w, rh = roi.height() * h;
        double c = Math.cos(roi.rotation()), s = Math.sin(roi.rotation());
        double sx = rw / width, sy = rh / height;
        // Output pixel (u, v) samples the source at centre + R * ((u + 0.5) * sx - rw / 2, (v + 0.5) * sy - rh / 2)
        // in continuous coordinates; OpenCV's pixel (i, j) is centred at (i + 0.5, j + 0.5), hence the -0.5.
        double cx = roi.xCenter() * w - 0.5, cy = roi.yCenter() * h - 0.5;
        double ox = 0.5 * sx - rw / 2, oy = 0.5 * sy - rh / 2;
        matrixIndex.put(0, 0, c * sx);
        matrixIndex.put(0, 1, -s * sy);
        matrixIndex.put(0, 2, cx + c * ox - s * oy);
        matrixIndex.put(1, 0, s * sx);
        matrixIndex.put(1, 1, c * sy);
        matrixIndex.put(1, 2, cy + s * ox + c * oy);
        PixelFormat format = frame.format();
        boolean four = format.bytesPerPixel() == 4;
        Mat warped = four ? crop4 : crop3;
        warpAffine(
                src,
                warped,
                matrix,
                size,
                INTER_LINEAR | WARP_INVERSE_MAP,
                zeroBorder ? BORDER_CONSTANT : BORDER_REPLICATE,
                black);
        if (four) {
            cvtColor(crop4, crop3, format == PixelFormat.RGBA ? COLOR_RGBA2RGB : COLOR_BGRA2RGB);
        }
        Mat dst = target(out, offset);
        crop3.convertTo(dst, CV_32FC3, (max - min) / 255.0, min);
        if (format == PixelFormat.BGR) {
            cvtColor(dst, dst, COLOR_BGR2RGB);
        }
    }

    private Mat target(FloatBuffer out, int offset) {
        if (targetBuffer != out) {
            if (!out.isDirect()) {
                throw new IllegalArgumentException("model input buffer must be direct");
            }
            closeTargets();
            targetBuffer = out;
        }
        int item = width * height * 3;
        if (offset % item != 0) {
            // Not a batch slot: one Mat for the latest such offset.
            if (oddTarget == null || oddOffset != offset) {
                if (oddTarget != null) {
                    oddTarget.close();
                }
                oddTarget = new Mat(
                        height,
                        width,
                        CV_32FC3,
                        new FloatPointer(out.duplicate().position(offset).slice()));
                oddOffset = offset;
            }
            return oddTarget;
        }
        int slot = offset / item;
        if (slot >= targets.length) {
            targets = java.util.Arrays.copyOf(targets, Math.max(slot + 1, targets.length * 2));
        }
        if (targets[slot] == null) {
            // A slice starts at the offset, so the pointer's address is exactly the tensor's first float. Kept per
            // item, so a batched caller (several offsets into one buffer) allocates no Mat per crop.
            FloatBuffer slice = out.duplicate().position(offset).slice();
            targets[slot] = new Mat(height, width, CV_32FC3, new FloatPointer(slice));
        }
        return targets[slot];
    }

    private void closeTargets() {
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] != null) {
                targets[i].close();
                targets[i] = null;
            }
        }
        if (oddTarget != null) {
            oddTarget.close();
            oddTarget = null;
        }
        targetBuffer = null;
    }

    /** A Mat header over the frame's pixels; rebuilt only when the buffer, geometry or format changes. */
    private Mat wrap(ImageFrame frame) {
        ByteBuffer pixels = frame.pixels();
        int type = frame.format().bytesPerPixel() == 4 ? CV_8UC4 : CV_8UC3;
        long key = ((long) frame.width() * 31 + frame.height()) * 31 * 31
                + (long) frame.rowStride() * 31
                + frame.offset() * 7L
                + type;
        if (pixels.isDirect()) {
            if (source == null || sourceBuffer != pixels || sourceKey != key) {
                release();
                sourcePointer = new BytePointer(
                        pixels.duplicate().position(frame.offset()).slice());
                source = new Mat(frame.height(), frame.width(), type, sourcePointer, frame.rowStride());
                sourceBuffer = pixels;
                sourceKey = key;
            }
            return source;
        }
        // A heap buffer has no stable native address: copy it into one reused native buffer.
        int bytes = frame.rowStride() * (frame.height() - 1)
                + frame.width() * frame.format().bytesPerPixel();
        if (heapCopy == null || heapCopy.capacity() < bytes) {
            heapCopy = ByteBuffer.allocateDirect(bytes);
            release();
        }
        ByteBuffer view = pixels.duplicate();
        view.position(frame.offset()).limit(frame.offset() + bytes);
        heapCopy.clear();
        heapCopy.put(view);
        heapCopy.flip();
        long heapKey = key ^ 0x5bd1e995L;
        if (source == null || sourceBuffer != heapCopy || sourceKey != heapKey) {
            release();
            sourcePointer = new BytePointer(heapCopy);
            source = new Mat(frame.height(), frame.width(), type, sourcePointer, frame.rowStride());
            sourceBuffer = heapCopy;
            sourceKey = heapKey;
        }
        return source;
    }

    private void release() {
        if (source != null) {
            source.close();
            source = null;
        }
        sourcePointer = null;
        sourceBuffer = null;
        sourceKey = Long.MIN_VALUE;
    }

    @Override
    public void close() {
        release();
        closeTargets();
        crop3.close();
        crop4.close();
        matrixIndex.close();
        matrix.close();
        size.close();
        black.close();
    }
}
