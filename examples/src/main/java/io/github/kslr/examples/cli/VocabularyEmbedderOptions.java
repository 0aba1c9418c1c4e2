package io.github.kslr.examples.cli;

import io.github.kslr.recognizer.OnnxSignEmbedder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --embedder} of the commands that recognise with an optional {@code --vocabulary} ({@code evaluate},
 * {@code recognize}, {@code serve}): a picocli mixin, one place for the option; not thread-safe.
 */
final class VocabularyEmbedderOptions {

    @Option(
            names = "--embedder",
            paramLabel = "EMB.onnx",
            description = "with --vocabulary: the sign embedder (default: the bundled one)")
    Path embedder;

    /** Opens {@code --embedder}, or the bundled embedder without it; the caller closes it. */
    OnnxSignEmbedder open() {
        return VocabularyFiles.embedder(embedder);
    }
}
