/**
 * Sign recognition on ONNX Runtime: {@link io.github.kslr.recognizer.OnnxSignClassifier} (the
 * {@link io.github.kslr.api.SignClassifier} implementation), sentence rules
 * ({@link io.github.kslr.recognizer.SentenceBuilder}, {@link io.github.kslr.recognizer.WordSeparator}) and the
 * streaming {@link io.github.kslr.recognizer.SignRecognizer}. Writing models is the {@code kslr-onnx-writer}
 * module's job, reading {@code .npy} data {@code kslr-data}'s: neither is needed to recognise.
 */
package io.github.kslr.recognizer;
