package io.github.kslr.api;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A fixed-capacity ring buffer of feature frames that yields sliding windows for a sequence classifier.
 *
 * <p>Each {@code push} adds one frame (after the {@link HandLossPolicy} has had its say) and returns whether a new
 * window is ready: the buffer is full and {@link Builder#stride(int) stride} frames were pushed since the last
 * window (the first window is ready as soon as the buffer fills). {@link #copyWindow} copies the window out oldest
 * frame first, as a {@code [length, featureSize]} row-major block.
 *
 * <p>Pushing allocates nothing: frames are copied into one preallocated {@code float[length * featureSize]}.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one buffer belongs to one stream, used by one thread at a time.
 */
public final class SequenceBuffer {
    private final int length;
    private final int featureSize;
    private final int stride;
    private final HandLossPolicy handLossPolicy;
    private final FeatureLayout layout;
    private final float[] ring;
    private int head; // index (in frames) of the slot the next frame goes to
    private int count;
    private int pushesSinceWindow;
    private boolean windowEmitted;

    private SequenceBuffer(Builder b) {
        this.length = b.length;
        this.featureSize = b.layout != null ? b.layout.size() : b.featureSize;
        this.stride = b.stride;
        this.handLossPolicy = b.handLossPolicy;
        this.layout = b.layout;
        this.ring = new float[Math.multiplyExact(length, featureSize)];
    }

    /** A buffer of {@code length} frames in {@code layout}, stride 1, hand loss {@link HandLossPolicy#KEEP}. */
    public static SequenceBuffer of(int length, FeatureLayout layout) {
        return builder().length(length).layout(layout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for a {@link SequenceBuffer}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private int length = 30;
        private int featureSize = -1;
        private FeatureLayout layout;
        private int stride = 1;
        private HandLossPolicy handLossPolicy = HandLossPolicy.KEEP;

        private Builder() {}

        /** Frames in a window (the reports use 30). Default 30. */
        public Builder length(int frames) {
            this.length = Checks.positive(frames, "length");
            return this;
        }

        /**
         * The layout frames are in. Needed for {@link SequenceBuffer#push(HolisticLandmarks)} and for the hand-loss
         * policy on raw frames; sets the feature size.
         */
        public Builder layout(FeatureLayout layout) {
            this.layout = Checks.notNull(layout, "layout");
            return this;
        }

        /** Floats a frame, when frames come without a layout. */
        public Builder featureSize(int size) {
            this.featureSize = Checks.positive(size, "featureSize");
            return this;
        }

        /** Frames between two windows once full (1 = a window after every frame). Default 1. */
        public Builder stride(int frames) {
            this.stride = Checks.positive(frames, "stride");
            return this;
        }

        /** Default {@link HandLossPolicy#KEEP}. */
        public Builder handLossPolicy(HandLossPolicy policy) {
            this.handLossPolicy = Checks.notNull(policy, "handLossPolicy");
            return this;
        }

        /**
         * @throws InvalidInputException when neither a layout nor a feature size was given, or both were and
         *     disagree
         */
        public SequenceBuffer build() {
            if (layout == null && featureSize < 0) {
                throw new InvalidInputException("a SequenceBuffer needs a layout or a featureSize");
            }
            if (layout != null && featureSize >= 0 && featureSize != layout.size()) {
                throw new InvalidInputException("featureSize " + featureSize + " disagrees with layout " + layout.name()
                        + " (" + layout.size() + " features)");
            }
            return new SequenceBuffer(this);
        }
    }

    /** Frames in a full window. */
    public int length() {
        return length;
    }

    /** Floats a frame. */
    public int featureSize() {
        return featureSize;
    }

    /** Floats in a window: {@code length() * featureSize()}. */
    public int windowSize() {
        return ring.length;
    }

    public int stride() {
        return stride;
    }

    public HandLossPolicy handLossPolicy() {
        return handLossPolicy;
    }

    /** The layout, or null when built with a bare feature size. */
    public FeatureLayout layout() {
        return layout;
    }

    /** Frames held now, at most {@link #length()}. */
    public int size() {
        return count;
    }

    public boolean isFull() {
        return count == length;
    }

    /**
     * Pushes one frame of {@code featureSize()} floats. Hands are judged from the layout's hand columns when the
     * buffer has a layout; without one every frame counts as showing hands.
     *
     * @return whether a new window is ready
     * @throws InvalidInputException for a null or wrong-sized frame or one holding NaN or infinity (nothing is
     *     pushed)
     */
    public boolean push(float[] frame) {
        Checks.length(frame, featureSize, "frame");
        return push(frame, 0);
    }

    /** Pushes {@code frame[offset .. offset + featureSize())}; see {@link #push(float[])}. */
    public boolean push(float[] frame, int offset) {
        Checks.notNull(frame, "frame");
        Checks.range(frame.length, offset, featureSize, "frame");
        boolean hands = layout == null || layout.hasAnyHand(frame, offset);
        return push(frame, offset, hands);
    }

    /**
     * Pushes a frame whose hand presence the caller knows.
     *
     * @param handsVisible whether at least one hand was found in the frame
     */
    public boolean push(float[] frame, int offset, boolean handsVisible) {
        Checks.notNull(frame, "frame");
        Checks.range(frame.length, offset, featureSize, "frame");
        Checks.finite(frame, offset, featureSize, "frame");
        if (!handsVisible && handLossPolicy != HandLossPolicy.KEEP) {
            if (handLossPolicy == HandLossPolicy.CLEAR) {
                clear();
            }
            return false;
        }
        System.arraycopy(frame, offset, ring, head * featureSize, featureSize);
        return advance();
    }

    /**
     * Pushes the features of {@code landmarks} in the buffer's layout, written straight into the ring.
     *
     * @throws InvalidInputException when the buffer was built without a layout
     */
    public boolean push(HolisticLandmarks landmarks) {
        Checks.notNull(landmarks, "landmarks");
        if (layout == null) {
            throw new InvalidInputException("push(HolisticLandmarks) needs a SequenceBuffer built with a layout");
        }
        if (!landmarks.hasAnyHand() && handLossPolicy != HandLossPolicy.KEEP) {
            if (handLossPolicy == HandLossPolicy.CLEAR) {
                clear();
            }
            return false;
        }
        layout.write(landmarks, ring, head * featureSize);
        return advance();
    }

    private boolean advance() {
        head = head + 1 == length ? 0 : head + 1;
        if (count < length) {
            count++;
        }
        pushesSinceWindow++;
        if (count == length && (!windowEmitted || pushesSinceWindow >= stride)) {
            windowEmitted = true;
            pushesSinceWindow = 0;
            return true;
        }
        return false;
    }

    /**
     * Copies the window, oldest frame first, into {@code dst[offset .. offset + windowSize())}.
     *
     * @throws KslrException when the buffer is not full yet
     */
    public void copyWindow(float[] dst, int offset) {
        Checks.notNull(dst, "dst");
        Checks.range(dst.length, offset, ring.length, "dst");
        requireFull();
        // The oldest frame sits at head when full.
        int tail = (length - head) * featureSize;
        System.arraycopy(ring, head * featureSize, dst, offset, tail);
        System.arraycopy(ring, 0, dst, offset + tail, head * featureSize);
    }

    /** Copies the window, oldest first, into {@code dst} at its position, advancing it. */
    public void copyWindow(FloatBuffer dst) {
        Checks.notNull(dst, "dst");
        if (dst.remaining() < ring.length) {
            throw new InvalidInputException(
                    "dst has " + dst.remaining() + " floats remaining, a window needs " + ring.length);
        }
        requireFull();
        dst.put(ring, head * featureSize, (length - head) * featureSize);
        dst.put(ring, 0, head * featureSize);
    }

    /** The window, oldest first, in a new array. */
    public float[] window() {
        float[] out = new float[ring.length];
        copyWindow(out, 0);
        return out;
    }

    private void requireFull() {
        if (count < length) {
            throw new KslrException("the window is not full yet: " + count + " of " + length + " frames");
        }
    }

    /** Forgets every frame; the next window is ready once {@link #length()} new frames came. */
    public void clear() {
        Arrays.fill(ring, 0f);
        head = 0;
        count = 0;
        pushesSinceWindow = 0;
        windowEmitted = false;
    }

    @Override
    public String toString() {
        return "SequenceBuffer[" + count + "/" + length + " frames x " + featureSize + ", stride " + stride + ", "
                + handLossPolicy + "]";
    }
}
