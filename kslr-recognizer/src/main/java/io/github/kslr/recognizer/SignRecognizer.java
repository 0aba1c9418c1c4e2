package io.github.kslr.recognizer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
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

    private SignRecognizer(Builder b) {
        this.classifier = b.classifier;
        this.landmarker = b.landmarker;
        this.buffer = SequenceBuffer.builder().length(classifier.metadata().sequenceLength())
                .layout(classifier.metadata().layout()).stride(b.stride).handLossPolicy(b.handLossPolicy).build();
        this.sentences = b.sentence.build();
        this.listeners = List.copyOf(b.listeners);
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
            if (handLossPolicy != HandLossPolicy.KEEP && !layout.uses(LandmarkPart.LEFT_HAND)
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
     * @return the prediction when this frame completed a window, else empty
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
        boolean ready = buffer.push(landmarks);
        return ready ? classify(landmarks.timestampMs()) : Optional.empty();
    }

    /**
     * Feeds one feature frame in the model's layout (hands judged from its hand columns).
     *
     * @param frame {@code metadata().layout().size()} finite floats (copied)
     * @throws InvalidInputException for a wrong-sized frame or one holding NaN or infinity
     */
    public Optional<Prediction> acceptFeatures(float[] frame, long timestampMs) {
        boolean ready = buffer.push(frame);
        return ready ? classify(timestampMs) : Optional.empty();
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
