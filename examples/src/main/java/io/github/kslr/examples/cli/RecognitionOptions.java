package io.github.kslr.examples.cli;

import io.github.kslr.api.HandLossPolicy;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.examples.pipeline.RecognitionSettings;
import io.github.kslr.examples.pipeline.SdkModels;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import io.github.kslr.recognizer.VocabularySignClassifier;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The model and recognition options {@code recognize} and {@code serve} share (a picocli mixin; not thread-safe). */
final class RecognitionOptions {

    @Option(
            names = "--model",
            paramLabel = "MODEL.onnx",
            description = "sign model (default: the demo model bundled in kslr-recognizer, ASL coffee-shop signs"
                    + " with Khmer translations)")
    Path model;

    @Option(
            names = "--vocabulary",
            paramLabel = "V",
            description = "recognise the signs taught to this vocabulary file (kslr enrol) instead of a sign model;"
                    + " --threshold does not apply: the embedder's calibrated cosine threshold does")
    Path vocabulary;

    @Mixin
    VocabularyEmbedderOptions embedder = new VocabularyEmbedderOptions();

    @Option(
            names = "--voice",
            paramLabel = "VOICE.onnx",
            description = "ONNX VITS voice (e.g. facebook/mms-tts-khm exported with tools/voice-export)")
    Path voice;

    @Option(
            names = "--landmark-models",
            paramLabel = "DIR",
            description = "directory with the seven MediaPipe models as ONNX (default: the bundled ones)")
    Path landmarkModels;

    @Mixin
    DeviceOptions device = new DeviceOptions();

    @Option(
            names = "--threshold",
            defaultValue = "0.5",
            description = "lowest confidence that counts as a recognised window (default ${DEFAULT-VALUE})")
    float threshold;

    @Option(
            names = "--agreement",
            defaultValue = "10",
            description = "consecutive agreeing windows a sign needs to join the sentence (default ${DEFAULT-VALUE})")
    int agreement;

    @Option(
            names = "--hand-loss",
            defaultValue = "CLEAR",
            description = "what a frame without hands does to the window: ${COMPLETION-CANDIDATES}"
                    + " (default ${DEFAULT-VALUE}, as the first report's server)")
    HandLossPolicy handLoss;

    @Option(
            names = "--fps",
            paramLabel = "RATE",
            description = "resample frames by timestamp to this rate before they enter the window, so a window spans"
                    + " the same time whatever rate frames come at; 0 = every frame as it comes (default: the model's"
                    + " training rate, which kslr train records from kslr dataset --fps; every frame when it has none)")
    Double frameRate;

    RecognitionSettings settings() {
        return new RecognitionSettings(threshold, agreement, handLoss, frameRate);
    }

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "ONNX Runtime threads a landmark model; 0 = one per core (default ${DEFAULT-VALUE}: best"
                    + " for several streams or a busy machine; 2 speed up one stream on idle cores)")
    int threads;

    SdkModels load() {
        return load(false).models();
    }

    /**
     * The loaded models and, with {@code --vocabulary}, the vocabulary and embedder their classifier recognises with
     * (both owned by the models: closing them closes the embedder), so {@code serve} can teach into that very
     * vocabulary; null without.
     */
    record Loaded(SdkModels models, SignVocabulary vocabulary, OnnxSignEmbedder embedder) {}

    /**
     * Loads the models.
     *
     * @param createVocabulary whether a {@code --vocabulary} file that does not exist yet means a new, empty
     *                         vocabulary ({@code serve}, which teaches into it) rather than an error
     */
    Loaded load(boolean createVocabulary) {
        if (vocabulary == null) {
            return new Loaded(
                    SdkModels.load(landmarkModels, model, voice, device.device(), settings(), threads), null, null);
        }
        if (model != null) {
            throw new InvalidInputException("--model and --vocabulary exclude each other: recognise with a sign"
                    + " model or with a vocabulary of taught signs");
        }
        SignVocabulary[] opened = new SignVocabulary[1];
        OnnxSignEmbedder[] openedEmbedder = new OnnxSignEmbedder[1];
        SdkModels models = SdkModels.load(
                landmarkModels,
                () -> {
                    OnnxSignEmbedder emb = embedder.open();
                    try {
                        SignVocabulary v = createVocabulary
                                ? VocabularyFiles.loadOrCreate(vocabulary, emb)
                                : SignVocabulary.load(vocabulary, emb.metadata());
                        VocabularySignClassifier c = VocabularySignClassifier.builder(emb, v)
                                .ownsEmbedder(true)
                                .build();
                        opened[0] = v;
                        openedEmbedder[0] = emb;
                        return c;
                    } catch (RuntimeException e) {
                        emb.close();
                        throw e;
                    }
                },
                voice,
                device.device(),
                settings(),
                threads);
        return new Loaded(models, opened[0], openedEmbedder[0]);
    }
}
