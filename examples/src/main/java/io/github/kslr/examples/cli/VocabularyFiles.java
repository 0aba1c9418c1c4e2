package io.github.kslr.examples.cli;

import io.github.kslr.api.ModelSource;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opening the embedder and the vocabulary file the vocabulary commands share. */
final class VocabularyFiles {

    private VocabularyFiles() {}

    /** The embedder at {@code path}, or the bundled one when null. The caller closes it. */
    static OnnxSignEmbedder embedder(Path path) {
        return OnnxSignEmbedder.open(path == null ? DemoSignModel.embedderSource() : ModelSource.ofPath(path));
    }

    /** The vocabulary at {@code file}, or a new empty one for {@code embedder} when the file does not exist yet. */
    static SignVocabulary loadOrCreate(Path file, OnnxSignEmbedder embedder) {
        return Files.exists(file)
                ? SignVocabulary.load(file, embedder.metadata())
                : SignVocabulary.create(embedder.metadata());
    }
}
