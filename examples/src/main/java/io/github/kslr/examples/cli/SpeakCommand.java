package io.github.kslr.examples.cli;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.WavWriter;
import io.github.kslr.tts.KhmerVoices;
import io.github.kslr.tts.SpeechPlayer;
import io.github.kslr.tts.VitsSpeechOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kslr speak "TEXT" --voice VOICE.onnx --out OUT.wav} (or {@code --play}): Khmer text to speech with an
 * MMS/VITS voice exported by {@code tools/voice-export/export_vits.py}.
 */
@Command(
        name = "speak",
        mixinStandardHelpOptions = true,
        description = {
            "Speaks Khmer text with a VITS voice (e.g. facebook/mms-tts-khm exported to ONNX with"
                    + " tools/voice-export/export_vits.py) and writes a 16-bit mono WAV file and/or plays it.",
            "Long text is spoken sentence by sentence (split at \u17d4 \u17d5 ? ! .); with --play, playback starts"
                    + " after the first sentence."
        })
public final class SpeakCommand extends CommandBase {

    @Parameters(index = "0", paramLabel = "TEXT", description = "the Khmer text; '-' reads it from standard input")
    String text;

    @Option(
            names = "--voice",
            required = true,
            paramLabel = "VOICE.onnx",
            description = "the ONNX voice (tokenizer data in its metadata, or vocab.json/config.json beside it)")
    Path voice;

    @Option(names = "--out", paramLabel = "OUT.wav", description = "write the speech to this WAV file")
    Path out;

    @Option(names = "--play", description = "play the speech through the default sound output")
    boolean play;

    @Option(names = "--rate", defaultValue = "1.0", description = "speaking rate, > 0 (default ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--noise-scale",
            defaultValue = "0.667",
            description = "prior noise, >= 0 (default ${DEFAULT-VALUE})")
    float noiseScale;

    @Option(
            names = "--noise-scale-duration",
            defaultValue = "0.8",
            description = "duration noise, >= 0 (default ${DEFAULT-VALUE})")
    float noiseScaleDuration;

    @Option(names = "--deterministic", description = "both noise scales 0: the same text always sounds the same")
    boolean deterministic;

    @Option(
            names = "--digits-as-written",
            description = "leave numbers in digits to the voice's tokenizer (the MMS voice skips them) instead of"
                    + " speaking them as Khmer words")
    boolean digitsAsWritten;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "ONNX Runtime threads; 0 = one per core (default ${DEFAULT-VALUE})")
    int threads;

    @CommandLine.Mixin
    DeviceOptions device = new DeviceOptions();

    @Override
    public Integer call() throws IOException {
        if (out == null && !play) {
            throw usageError("give --out OUT.wav, --play or both");
        }
        String input = "-".equals(text) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : text;
        VitsSpeechOptions.Builder b = VitsSpeechOptions.builder()
                .speakingRate(rate)
                .noiseScale(noiseScale)
                .noiseScaleDuration(noiseScaleDuration)
                .spellNumbers(!digitsAsWritten)
                .intraOpThreads(threads)
                .device(device.device());
        if (deterministic) {
            b.deterministic();
        }
        VitsSpeechOptions options = b.build();
        PrintWriter o = out();
        long started = System.nanoTime();
        try (KhmerSpeech speech = KhmerVoices.open(voice, options);
                SpeechPlayer player = play ? new SpeechPlayer() : null) {
            long loaded = System.nanoTime();
            Synthesis result = new Synthesis();
            if (out != null) {
                // Chunk by chunk to the file: hours of speech from long text never sit in memory whole.
                AtomicFiles.writeChannel(out, channel -> {
                    WavWriter wav = new WavWriter(channel, speech.sampleRate());
                    result.run(speech, input, player, loaded, wav);
                    wav.finish();
                });
                o.printf(Locale.ROOT, "wrote %s%n", out);
            } else {
                result.run(speech, input, player, loaded, null);
            }
            double seconds = (System.nanoTime() - loaded) / 1e9;
            double audio = (double) result.samples / speech.sampleRate();
            o.printf(
                    Locale.ROOT,
                    "%d sentence(s), %.2f s of audio at %d Hz; voice loaded in %.2f s, first sentence"
                            + " after %.2f s%s%n",
                    result.delivered,
                    audio,
                    speech.sampleRate(),
                    (loaded - started) / 1e9,
                    result.firstChunkNanos / 1e9,
                    play
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    ", all in %.2f s (real-time factor %.3f)",
                                    seconds,
                                    seconds / Math.max(audio, 1e-9)));
        }
        return 0;
    }

    /** One synthesis: chunks go to the player and/or the WAV file as they come; only counts are kept. */
    private static final class Synthesis {
        long samples;
        long firstChunkNanos = -1;
        int delivered;

        void run(KhmerSpeech speech, String text, SpeechPlayer player, long loaded, WavWriter wav) throws IOException {
            try {
                delivered = speech.synthesize(text, (chunk, sentence, index, total) -> {
                    if (firstChunkNanos < 0) {
                        firstChunkNanos = System.nanoTime() - loaded;
                    }
                    samples += chunk.sampleCount();
                    if (wav != null) {
                        try {
                            wav.append(chunk);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return player == null || player.onChunk(chunk, sentence, index, total);
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
