package io.github.kslr.recognizer;

import io.github.kslr.api.ModelSource;

/**
 * The demo sign model bundled in this module's jar: ASL coffee-shop signs and fingerspelled letters (33 labels
 * including {@code -} = no sign) trained with {@code kslr-train} on traduttore/traduttore-model's recordings (MIT, see
 * the NOTICE beside the model), each label with an English gloss and a Khmer translation. It recognises American
 * Sign Language, not Khmer Sign Language: no public KSL recordings exist, so institutions that own them train a KSL
 * model with {@code kslr train}. {@code kslr-train/demo/train-demo-model.sh} regenerates it.
 *
 * <pre>{@code
 * try (SignClassifier classifier = OnnxSignClassifier.builder().model(DemoSignModel.source()).build()) { ... }
 * }</pre>
 *
 * <p><b>Thread-safety.</b> Constants only.
 */
public final class DemoSignModel {

    /** Classpath resource of the model. */
    public static final String RESOURCE = "io/github/kslr/recognizer/demo/demo-signs.onnx";
    /**
     * Classpath resource of the bundled sign embedder ({@link OnnxSignEmbedder}), trained with
     * {@code kslr train-embedder} on the same recordings (all 33 labels), for teaching new signs from a few takes.
     */
    public static final String EMBEDDER_RESOURCE = "io/github/kslr/recognizer/demo/sign-embedder.onnx";

    private DemoSignModel() {}

    /** The bundled model, read from this module's class loader. */
    public static ModelSource source() {
        return ModelSource.ofResource(DemoSignModel.class.getClassLoader(), RESOURCE);
    }

    /** The bundled sign embedder, read from this module's class loader. */
    public static ModelSource embedderSource() {
        return ModelSource.ofResource(DemoSignModel.class.getClassLoader(), EMBEDDER_RESOURCE);
    }

    /** The bundled model, read from the classpath of {@code loader}. */
    public static ModelSource source(ClassLoader loader) {
        return ModelSource.ofResource(loader, RESOURCE);
    }
}
