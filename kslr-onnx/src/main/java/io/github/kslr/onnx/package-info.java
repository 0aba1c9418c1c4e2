/**
 * ONNX Runtime plumbing shared by {@code kslr-landmarks}, {@code kslr-recognizer} and {@code kslr-tts}: how sessions
 * are opened (device, threads, fallback) and closed safely. Internal to KSLR: application code uses the component
 * classes of those modules instead.
 */
package io.github.kslr.onnx;
