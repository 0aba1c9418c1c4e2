package io.github.kslr.recognizer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.FrameResampler;
import io.github.kslr.api.HandLossPolicy;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.Landmarker;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SequenceBuffer;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Streaming sign recognition for one camera or video: {@link Landmarker} → {@link SequenceBuffer} (in the model's
 * layout and window length) → {@link SignClassifier} → {@link SentenceBuilder}, with events to
 * {@link RecognitionListener}s.
 *
 * <pre>{@code
 * SignRecognizer recognizer = SignRecognizer.builder(classifier).landmarker(landmarker)
 *         .listener(new RecognitionListener() {
 *             public void onSentenceChanged(Sentence s) { show(s.text()); }
 *         }).build();
 * for (ImageFrame frame : camera) recognizer.accept(frame);
 * }</pre>
 * Frames can enter at three levels: images ({@link #accept(ImageFrame)}, needs a landmarker), landmarks
 * ({@link #accept(HolisticLandmarks)}, e.g. when the caller runs the landmarker itself to draw them) or feature
 * frames in the model's layout ({@link #acceptFeatures}, e.g. from recorded {@code .npy} data).
 *
 * <p>When the model's metadata gives the frame rate of its training windows ({@link SignModelMetadata#frameRate()},
 * written by {@code kslr train} for a dataset made with {@code kslr dataset --fps}), or {@link Builder#frameRate(double)}
 * gives one, frames are resampled by their timestamps to that rate with the rule training windows were cut by (each
 * sample takes the last frame at or before its time): a window then spans the same time whatever the camera's rate or
 * the frames a {@link io.github.kslr.api.LiveStream} drops on slow hardware. A sample is taken when the frame after its
 * time arrives (at most one frame later). Without a rate every frame enters the window as it comes, and a window
 * spans as much time as its frames took to arrive.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one recognizer follows one stream, fed by one thread at a time.
 *
 * <p><b>Ownership.</b> The classifier and landmarker are borrowed: the recognizer never closes them, and they must
 * outlive it. A classifier may be shared by many recognizers; a landmarker serves one stream.
 */
public final class SignRecognizer {
    private final SignClassifier classifier;
    private final Landmarker landmarker;
    private final SequenceBuffer buffer;
    private final SentenceBuilder sentences;
    private final List<RecognitionListener> listeners;
    /** Resamples frames to the training rate (the rule training windows are cut by), or null: frames as they come. */
    private final FrameResampler resampler;
    /** Samples to catch up at most after a gap: then the window and the sentence rules hold only the held frame. */
    private final long maxCatchUp;
    // The newest frame, held until the samples after it take it, as landmarks or as a copy of its features.
    private HolisticLandmarks heldLandmarks;
    private float[] heldFeatures;

    private SignRecognizer(Builder b) {
        this.classifier = b.classifier;
        this.landmarker = b.landmarker;
        this.buffer = SequenceBuffer.builder()
                .length(classifier.metadata().sequenceLength())
                .layout(classifier.metadata().layout())
                .stride(b.stride)
                .handLossPolicy(b.handLossPolicy)
                .build();
        this.sentences = b.sentence.build();
        this.listeners = List.copyOf(b.listeners);
        double fps = b.frameRate != null ? b.frameRate : classifier.metadata().frameRate();
        this.resampler = fps > 0 ? new FrameResampler(fps) : null;
        this.maxCatchUp = (long) classifier.metadata().sequenceLength() + (long) sentences.agreement() * b.stride;
    }

    /** A builder around {@code classifier}, whose metadata sets the window length and feature layout. */
    public static Builder builder(SignClassifier classifier) {
        return new Builder(Checks.notNull(classifier, "classifier"));
    }

    /** Options for a {@link SignRecognizer}; validated as they are set. Not thread-safe. */
    public static final class Builder {
        private final SignClassifier classifier;
        private Landmarker landmarker;
        private int stride = 1;
        private HandLossPolicy handLossPolicy = HandLossPolicy.CLEAR;
        private Double frameRate; // null: the model's
        // The sentence rules' options live in their own builder: one set of defaults and checks.
        private final SentenceBuilder.Builder sentence = SentenceBuilder.builder();
        private final List<RecognitionListener> listeners = new ArrayList<>();

        private Builder(SignClassifier classifier) {
            this.classifier = classifier;
        }

        /** The landmarker {@link #accept(ImageFrame)} uses (borrowed; optional otherwise). */
        public Builder landmarker(Landmarker landmarker) {
            this.landmarker = Checks.notNull(landmarker, "landmarker");
            return this;
        }

        /** Frames between two classified windows once the buffer is full (default 1: every frame). */
        public Builder stride(int frames) {
            this.stride = Checks.positive(frames, "stride");
            return this;
        }

        /**
         * Resamples frames by their timestamps to this rate before they enter the window (see the class description):
         * the rate the model's training windows had. Default: the model's {@link SignModelMetadata#frameRate()}
         * (0 when it names none). 0 lets every frame in as it comes. With a rate, timestamps must increase from frame
         * to frame.
         *
         * @throws InvalidInputException for a negative, NaN or infinite rate, or one above 1000 (samples are
         *                               whole milliseconds apart at most)
         */
        public Builder frameRate(double fps) {
            this.frameRate = SignModelMetadata.checkFrameRate(fps, "frameRate");
            return this;
        }

        /** What a frame without hands does (default {@link HandLossPolicy#CLEAR}, as the first report's server). */
        public Builder handLossPolicy(HandLossPolicy policy) {
            this.handLossPolicy = Checks.notNull(policy, "handLossPolicy");
            return this;
        }

        /** Consecutive agreeing predictions a sign needs; see {@link SentenceBuilder.Builder#agreement}. */
        public Builder agreement(int predictions) {
            sentence.agreement(predictions);
            return this;
        }

        /** What goes between Khmer words; see {@link SentenceBuilder.Builder#separator}. */
        public Builder separator(WordSeparator separator) {
            sentence.separator(separator);
            return this;
        }

        /** Keep only the last {@code n} words; see {@link SentenceBuilder.Builder#maxWords}. */
        public Builder maxWords(int n) {
            sentence.maxWords(n);
            return this;
        }

        /** Adds a listener; listeners are called in the order added. */
        public Builder listener(RecognitionListener listener) {
            listeners.add(Checks.notNull(listener, "listener"));
            return this;
        }

        /**
         * @throws InvalidInputException when a hand-loss policy other than KEEP is asked for with a model whose
         *     layout has no hand columns (no frame could ever show hands)
         */
        public SignRecognizer build() {
            FeatureLayout layout = classifier.metadata().layout();
            if (handLossPolicy != HandLossPolicy.KEEP
                    && !layout.uses(LandmarkPart.LEFT_HAND)
                    && !layout.uses(LandmarkPart.RIGHT_HAND)) {
                throw new InvalidInputException("hand-loss policy " + handLossPolicy + " needs hand columns, but the"
                        + " model's layout " + layout.spec() + " has none; use HandLossPolicy.KEEP");
            }
            return new SignRecognizer(this);
        }
    }

    /**
     * Finds the landmarks in {@code frame} and feeds them on.
     *
     * @return the prediction when this frame completed a window (when resampling: the last of the windows of the
     *     samples this frame made final, which lie before it), else empty
     * @throws InvalidInputException when the recognizer was built without a landmarker
     */
    public Optional<Prediction> accept(ImageFrame frame) {
        Checks.notNull(frame, "frame");
        if (landmarker == null) {
            throw new InvalidInputException("accept(ImageFrame) needs a landmarker: build the recognizer with"
                    + " .landmarker(...) or pass landmarks or feature frames instead");
        }
        return accept(landmarker.detect(frame));
    }

    /** Feeds one frame's landmarks; see {@link #accept(ImageFrame)}. */
    public Optional<Prediction> accept(HolisticLandmarks landmarks) {
        Checks.notNull(landmarks, "landmarks");
        if (resampler == null) {
            boolean ready = buffer.push(landmarks);
            return ready ? classify(landmarks.timestampMs()) : Optional.empty();
        }
        Optional<Prediction> out = catchUp(landmarks.timestampMs());
        heldLandmarks = landmarks;
        heldFeatures = null;
        return out;
    }

    /**
     * Feeds one feature frame in the model's layout (hands judged from its hand columns).
     *
     * @param frame {@code metadata().layout().size()} finite floats (copied)
     * @throws InvalidInputException for a wrong-sized frame or one holding NaN or infinity
     */
    public Optional<Prediction> acceptFeatures(float[] frame, long timestampMs) {
        if (resampler == null) {
            boolean ready = buffer.push(frame);
            return ready ? classify(timestampMs) : Optional.empty();
        }
        Checks.length(frame, buffer.featureSize(), "frame");
        Checks.finite(frame, 0, frame.length, "frame");
        Optional<Prediction> out = catchUp(timestampMs);
        if (heldFeatures == null) {
            heldFeatures = new float[frame.length];
        }
        System.arraycopy(frame, 0, heldFeatures, 0, frame.length);
        heldLandmarks = null;
        return out;
    }

    /**
     * Resampling: takes every sample whose time is before the frame arriving at {@code timestampMs} (each gets the
     * held frame, the last one at or before it) and returns the last prediction they gave.
     */
    private Optional<Prediction> catchUp(long timestampMs) {
        long n = resampler.advance(timestampMs);
        long end = resampler.nextSample();
        Optional<Prediction> out = Optional.empty();
        // After a long gap, older samples would only repeat the held frame.
        for (long k = end - Math.min(n, maxCatchUp); k < end; k++) {
            boolean ready = heldLandmarks != null ? buffer.push(heldLandmarks) : buffer.push(heldFeatures);
            if (ready) {
                out = classify(resampler.sampleTimeMs(k));
            }
        }
        return out;
    }

    private Optional<Prediction> classify(long timestampMs) {
        Prediction p = classifier.classify(buffer);
        for (RecognitionListener l : listeners) {
            l.onPrediction(p, timestampMs);
        }
        SignLabel added = sentences.accept(p);
        if (added != null) {
            for (RecognitionListener l : listeners) {
                l.onSignRecognized(added, p, timestampMs);
            }
            Sentence s = sentences.sentence();
            for (RecognitionListener l : listeners) {
                l.onSentenceChanged(s);
            }
        }
        return Optional.of(p);
    }

    /** The sentence so far. */
    public Sentence sentence() {
        return sentences.sentence();
    }

    /** The classifier (borrowed). */
    public SignClassifier classifier() {
        return classifier;
    }

    /**
     * Clears the sentence and the frame window (the report's Clear button) and tells listeners when the sentence
     * was not empty. The landmarker's tracking state is kept; call its {@code reset()} for a new video.
     */
    public void clear() {
        boolean hadWords = !sentences.sentence().isEmpty();
        sentences.clear();
        buffer.clear();
        if (hadWords) {
            for (RecognitionListener l : listeners) {
                l.onSentenceChanged(Sentence.EMPTY);
            }
        }
    }

    @Override
    public String toString() {
        return "SignRecognizer[" + buffer + ", " + sentences + "]";
    }
}
