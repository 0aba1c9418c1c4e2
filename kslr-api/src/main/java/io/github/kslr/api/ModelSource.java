package io.github.kslr.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a model's bytes come from: a file, a classpath resource or bytes in memory. Exactly one source; models are
 * never fetched from a network.
 *
 * <p><b>Thread-safety.</b> Immutable ({@link #ofBytes} copies the array).
 */
public final class ModelSource {
    private final Path path;
    private final ClassLoader loader;
    private final String resource;
    private final byte[] bytes;
    private final String description;

    private ModelSource(Path path, ClassLoader loader, String resource, byte[] bytes, String description) {
        this.path = path;
        this.loader = loader;
        this.resource = resource;
        this.bytes = bytes;
        this.description = description;
    }

    /** A model file. Read when the model is loaded, not now. */
    public static ModelSource ofPath(Path path) {
        Checks.notNull(path, "path");
        return new ModelSource(path, null, null, null, path.toString());
    }

    /**
     * A classpath resource, e.g. {@code io/github/kslr/landmarks/models/pose_landmark_full.onnx}.
     *
     * @param loader the class loader to read it with
     */
    public static ModelSource ofResource(ClassLoader loader, String resource) {
        Checks.notNull(loader, "loader");
        Checks.notNull(resource, "resource");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        return new ModelSource(null, loader, name, null, "classpath:" + name);
    }

    /** Model bytes in memory (copied). */
    public static ModelSource ofBytes(byte[] bytes, String name) {
        Checks.notNull(bytes, "bytes");
        Checks.notNull(name, "name");
        return new ModelSource(null, null, null, bytes.clone(), name);
    }

    /** The file, when this source is one; null otherwise. */
    public Path path() {
        return path;
    }

    /** A short description for messages: the path, {@code classpath:NAME} or the given name. */
    public String description() {
        return description;
    }

    /**
     * Reads the model's bytes.
     *
     * @throws ModelLoadException when the file or resource does not exist or cannot be read
     */
    public byte[] readAllBytes() {
        if (bytes != null) {
            return bytes.clone();
        }
        if (path != null) {
            try {
                return Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new ModelLoadException("model file " + path.toAbsolutePath() + " does not exist", e);
            } catch (IOException e) {
                throw new ModelLoadException("cannot read model file " + path.toAbsolutePath() + ": " + e, e);
            }
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelLoadException("model resource " + resource + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model resource " + resource + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "ModelSource[" + description + "]";
    }
}
