package io.github.kslr.examples.web;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.PixelFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG in and out for one WebSocket connection, with the JDK's ImageIO: decodes the browser's frames into a reused
 * BGR image (no per-frame pixel allocation once the size is known) and encodes server-side video frames for the page.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one per connection. <b>Ownership.</b> A decoded {@link ImageFrame}
 * borrows this object's pixel buffer until the next {@link #decode} call.
 */
final class JpegFrames implements AutoCloseable {
    private final ImageReader reader;
    private final ImageWriter writer;
    private final ImageWriteParam writeParam;
    private final ByteArrayOutputStream encoded = new ByteArrayOutputStream(64 * 1024);
    private BufferedImage target;
    private ByteBuffer targetPixels;

    JpegFrames(float quality) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!readers.hasNext() || !writers.hasNext()) {
            throw new IllegalStateException("this JDK has no ImageIO JPEG reader/writer");
        }
        reader = readers.next();
        writer = writers.next();
        writeParam = writer.getDefaultWriteParam();
        writeParam.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        writeParam.setCompressionQuality(quality);
    }

    /**
     * Decodes one JPEG into the reused BGR buffer.
     *
     * @throws InvalidInputException when the bytes are not a decodable JPEG or exceed {@code maxPixels}
     */
    ImageFrame decode(byte[] jpeg, int length, long timestampMs, long maxPixels) {
        if (length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new InvalidInputException("a binary frame must be a JPEG image (starting FF D8), got " + length
                    + " bytes starting " + hexStart(jpeg, length));
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(jpeg, 0, length))) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if ((long) w * h > maxPixels) {
                throw new InvalidInputException("frame is " + w + "x" + h + " = " + (long) w * h
                        + " pixels, the server accepts at most " + maxPixels);
            }
            if (target == null || target.getWidth() != w || target.getHeight() != h) {
                target = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
                targetPixels =
                        ByteBuffer.wrap(((DataBufferByte) target.getRaster().getDataBuffer()).getData());
            }
            ImageReadParam param = reader.getDefaultReadParam();
            param.setDestination(target);
            reader.read(0, param);
            // TYPE_3BYTE_BGR stores B, G, R per pixel, rows packed.
            return ImageFrame.packed(w, h, PixelFormat.BGR, targetPixels, timestampMs);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException("cannot decode the " + length + "-byte JPEG frame: " + e);
        } finally {
            reader.setInput(null);
        }
    }

    /** Encodes a BGR frame (e.g. from FFmpeg) as JPEG for the page. */
    byte[] encode(ImageFrame frame) throws IOException {
        int w = frame.width();
        int h = frame.height();
        if (target == null || target.getWidth() != w || target.getHeight() != h) {
            target = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            targetPixels = ByteBuffer.wrap(((DataBufferByte) target.getRaster().getDataBuffer()).getData());
        }
        byte[] dst = targetPixels.array();
        ByteBuffer src = frame.pixels();
        int rowBytes = w * 3;
        for (int y = 0; y < h; y++) {
            src.get(frame.offset() + y * frame.rowStride(), dst, y * rowBytes, rowBytes);
        }
        encoded.reset();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(encoded)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(target, null, null), writeParam);
        } finally {
            writer.setOutput(null);
        }
        return encoded.toByteArray();
    }

    private static String hexStart(byte[] b, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, length); i++) {
            sb.append(String.format("%02X ", b[i] & 0xff));
        }
        return sb.toString().trim();
    }

    @Override
    public void close() {
        reader.dispose();
        writer.dispose();
    }
}
