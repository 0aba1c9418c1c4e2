package io.github.kslr.tools.models;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The pinned MediaPipe source: the npm tarball {@code @mediapipe/holistic@0.5.1675471629}, fetched with
 * {@code npm pack}, checked against its SHA-256, and read in memory (plain .tflite files, and the models packed into
 * {@code holistic_solution_packed_assets.data} at the byte ranges its loader script lists).
 *
 * <p>Immutable once read; safe to share between threads.
 */
public final class MediapipeSource {
    public static final String PACKAGE = "@mediapipe/holistic";
    public static final String VERSION = "0.5.1675471629";
    public static final String TARBALL = "mediapipe-holistic-" + VERSION + ".tgz";
    /** SHA-256 of the tarball npm serves for that version (measured 2026-11-25 with npm 11.19.1). */
    public static final String TARBALL_SHA256 = "8a3c0632e40e761e637d020738e96dc54d9bbbd4330ce2b206469fe467fd708b";

    private static final String PACKED = "holistic_solution_packed_assets.data";
    private static final String LOADER = "holistic_solution_packed_assets_loader.js";
    private static final Pattern RANGE = Pattern.compile(
            "\"filename\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"start\"\\s*:\\s*(\\d+)\\s*,\\s*\"end\"\\s*:\\s*(\\d+)");

    private final Map<String, byte[]> files;
    private final Map<String, String> origins;

    private MediapipeSource(Map<String, byte[]> files, Map<String, String> origins) {
        this.files = files;
        this.origins = origins;
    }

    /**
     * Returns {@code dir}/{@value #TARBALL}, running {@code npm pack} into {@code dir} first when it is not there.
     *
     * @throws IOException when npm fails or is missing
     */
    public static Path ensureTarball(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path tgz = dir.resolve(TARBALL);
        if (!Files.isRegularFile(tgz)) {
            Process p = new ProcessBuilder(
                            "npm",
                            "pack",
                            PACKAGE + "@" + VERSION,
                            "--pack-destination",
                            dir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(tgz)) {
                throw new IOException("npm pack " + PACKAGE + "@" + VERSION + " failed: " + log);
            }
        }
        return tgz;
    }

    /**
     * Reads the tarball after checking its SHA-256 against {@link #TARBALL_SHA256}.
     *
     * @throws IOException when the file differs from the pinned one or cannot be read
     */
    public static MediapipeSource read(Path tarball) throws IOException {
        byte[] tgz = Files.readAllBytes(tarball);
        String sha = sha256(tgz);
        if (!sha.equals(TARBALL_SHA256)) {
            throw new IOException(tarball + " has SHA-256 " + sha + ", expected " + TARBALL_SHA256 + " (" + PACKAGE
                    + "@" + VERSION + "): the pinned source changed; do not convert from it");
        }
        Map<String, byte[]> entries = untar(new GZIPInputStream(new java.io.ByteArrayInputStream(tgz)));
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String name = e.getKey().startsWith("package/") ? e.getKey().substring(8) : e.getKey();
            if (name.endsWith(".tflite")) {
                files.put(name, e.getValue());
                origins.put(name, name);
            }
        }
        byte[] packed = entries.get("package/" + PACKED);
        byte[] loader = entries.get("package/" + LOADER);
        if (packed == null || loader == null) {
            throw new IOException(tarball + " lacks " + PACKED + " or " + LOADER);
        }
        Matcher m = RANGE.matcher(new String(loader, StandardCharsets.UTF_8));
        while (m.find()) {
            String path = m.group(1);
            int start = Integer.parseInt(m.group(2));
            int end = Integer.parseInt(m.group(3));
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.endsWith(".tflite")) {
                byte[] model = java.util.Arrays.copyOfRange(packed, start, end);
                files.put(name, model);
                origins.put(name, PACKED + " bytes " + start + "-" + end + " (" + path + ")");
            }
        }
        return new MediapipeSource(files, origins);
    }

    /** The .tflite file {@code name} (e.g. "pose_detection.tflite"). */
    public byte[] model(String name) {
        byte[] b = files.get(name);
        if (b == null) {
            throw new IllegalArgumentException(
                    "no " + name + " in " + PACKAGE + "@" + VERSION + "; it has " + files.keySet());
        }
        return b.clone();
    }

    /** Where in the package the model comes from (a plain file, or a byte range of the packed assets). */
    public String origin(String name) {
        return origins.get(name);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** A minimal ustar reader: regular files only, which is all an npm tarball holds. */
    private static Map<String, byte[]> untar(InputStream in) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512) {
            if (header[0] == 0) {
                break; // end-of-archive blocks
            }
            String name = cString(header, 0, 100);
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
            byte type = header[156];
            byte[] data = in.readNBytes((int) size);
            if (data.length != size) {
                throw new IOException("truncated tar entry " + name);
            }
            long pad = (512 - size % 512) % 512;
            in.readNBytes((int) pad);
            if (type == '0' || type == 0) {
                out.put(name, data);
            }
        }
        return out;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** Reads a whole stream. */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
