package io.github.kslr.tools.models;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * The height and width of a converted MediaPipe model's image input: dimensions 1 and 2 of its first input, which is
 * NHWC with 3 channels (as {@link ConvertModels} writes every model).
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public record InputSize(int height, int width) {

    public static InputSize of(ModelProto model) {
        var shape = model.getGraph().getInput(0).getType().getTensorType().getShape();
        return new InputSize(
                (int) shape.getDim(1).getDimValue(), (int) shape.getDim(2).getDimValue());
    }

    /** @throws InvalidProtocolBufferException when {@code onnx} is not an ONNX model */
    public static InputSize of(byte[] onnx) throws InvalidProtocolBufferException {
        return of(ModelProto.parseFrom(onnx));
    }

    /** The shape of one crop as the model takes it: {@code [1, height, width, 3]}. */
    public long[] oneCropShape() {
        return new long[] {1, height, width, 3};
    }
}
