package io.github.kslr.train;

import io.github.kslr.api.ModelSource;

/**
 * The demo sign model bundled in kslr-recognizer's jar: ASL coffee-shop signs and fingerspelled letters (33 labels
 * including {@code -} = no sign) trained with this module on traduttore/traduttore-model's recordings (MIT), each
 * label with an English gloss and a Khmer translation. It recognises American Sign Language, not Khmer Sign
 * Language; train a KSL model with {@code kslr train}. {@code kslr-train/demo/train-demo-model.sh} regenerates it.
 *
 * <p><b>Thread-safety.</b> Constants only.
 */
public final class DemoModel {

    /** Classpath resource of the model. */
    public static final String RESOURCE = "io/github/kslr/recognizer/demo/demo-signs.onnx";

    private DemoModel() {
    }

    /** The bundled model, read from the classpath of {@code loader} (kslr-recognizer must be on it). */
    public static ModelSource source(ClassLoader loader) {
        return ModelSource.ofResource(loader, RESOURCE);
    }
}
