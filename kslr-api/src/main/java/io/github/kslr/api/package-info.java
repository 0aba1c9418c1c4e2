/**
 * KSLR's public contracts, in plain Java (no dependency beyond the JDK).
 *
 * <p>Data flow: an {@link io.github.kslr.api.ImageFrame} goes into a {@link io.github.kslr.api.Landmarker}, whose
 * {@link io.github.kslr.api.HolisticLandmarks} a {@link io.github.kslr.api.FeatureLayout} turns into feature frames;
 * a {@link io.github.kslr.api.SequenceBuffer} collects them into windows, which a
 * {@link io.github.kslr.api.SignClassifier} turns into {@link io.github.kslr.api.Prediction}s; their Khmer text is
 * spoken by a {@link io.github.kslr.api.KhmerSpeech}.
 *
 * <p>Errors: every exception KSLR throws on purpose is an unchecked {@link io.github.kslr.api.KslrException}; bad
 * arguments (including null) are {@link io.github.kslr.api.InvalidInputException}s thrown before anything changes.
 */
package io.github.kslr.api;
