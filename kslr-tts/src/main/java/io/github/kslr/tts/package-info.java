/**
 * Khmer text to speech with MMS/VITS voices on ONNX Runtime.
 *
 * <p>{@link io.github.kslr.tts.VitsKhmerSpeech} loads a voice exported from transformers' {@code VitsModel} (for Khmer:
 * facebook/mms-tts-khm, whose CC-BY-NC weights KSLR never bundles; make the ONNX voice with
 * {@code tools/voice-export/export_vits.py}). {@link io.github.kslr.tts.MmsTokenizer} turns text into the voice's
 * token ids exactly as transformers' {@code VitsTokenizer} does, {@link io.github.kslr.tts.KhmerSentences} splits long
 * text into sentence chunks and {@link io.github.kslr.tts.SpeechPlayer} plays speech through
 * {@code javax.sound.sampled}.
 */
package io.github.kslr.tts;
