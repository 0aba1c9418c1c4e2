/**
 * Sign recognition on ONNX Runtime: {@link io.github.kslr.recognizer.OnnxSignClassifier} (the
 * {@link io.github.kslr.api.SignClassifier} implementation), sentence rules
 * ({@link io.github.kslr.recognizer.SentenceBuilder}, {@link io.github.kslr.recognizer.WordSeparator}) and the
 * streaming {@link io.github.kslr.recognizer.SignRecognizer}. Model writing lives in
 * {@code io.github.kslr.recognizer.model}, NumPy interop in {@code io.github.kslr.recognizer.io}.
 */
package io.github.kslr.recognizer;
