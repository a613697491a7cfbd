package dev.densify.core.model.io;

import dev.densify.core.model.WeightTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** A checkpoint file read through memory maps, with every out-of-bounds read reported as a truncated file. */
final class MappedFile implements AutoCloseable {
    /** Maps at most this much at once, so tensors beyond 2 GiB still load. */
    private static final long MAX_MAP_BYTES = 1L << 30;

    private final Path path;
    private final FileChannel channel;
    private final long size;

    private MappedFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    static MappedFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException(path, "no such file");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        return new MappedFile(path, channel, channel.size());
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    /** {@code length} bytes from {@code offset}, little-endian; {@code what} names the data for the error message. */
    ByteBuffer bytes(long offset, long length, String what) throws IOException {
        requireInFile(offset, length, what);
        if (length > Integer.MAX_VALUE) {
            throw new ModelFormatException(path, what + " spans " + length + " bytes, more than one read can map");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Decodes {@code elements} values stored as {@code encoding} from {@code offset}. */
    float[] floats(long offset, long elements, Encoding encoding, String what) throws IOException {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(path, what + " has " + elements + " elements, more than a Java array holds");
        }
        if (elements % encoding.blockElements != 0) {
            throw new ModelFormatException(path, what + " has " + elements + " elements, not a multiple of the "
                    + encoding + " block size " + encoding.blockElements);
        }
        long blocks = elements / encoding.blockElements;
        requireInFile(offset, blocks * encoding.blockBytes, what);
        float[] out = new float[(int) elements];
        long blocksPerMap = MAX_MAP_BYTES / encoding.blockBytes;
        for (long done = 0; done < blocks; done += blocksPerMap) {
            int n = (int) Math.min(blocksPerMap, blocks - done);
            ByteBuffer chunk = channel.map(FileChannel.MapMode.READ_ONLY, offset + done * encoding.blockBytes,
                    (long) n * encoding.blockBytes).order(ByteOrder.LITTLE_ENDIAN);
            encoding.decode(chunk, out, (int) (done * encoding.blockElements), n);
        }
        return out;
    }

    /** Reads a tensor's data, naming the tensor and its shape if the file ends first. */
    WeightTensor tensor(String name, long[] shape, long offset, Encoding encoding) throws IOException {
        long elements = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (shape.length > 0 && shape[shape.length - 1] % encoding.blockElements != 0) {
            throw new ModelFormatException(path, "tensor " + name + " " + Arrays.toString(shape) + " has rows of "
                    + shape[shape.length - 1] + " values, not a multiple of the " + encoding + " block size "
                    + encoding.blockElements);
        }
        return new WeightTensor(name, shape.clone(), floats(offset, elements, encoding,
                "tensor " + name + " " + Arrays.toString(shape) + " (" + encoding + ")"));
    }

    private void requireInFile(long offset, long length, String what) throws ModelFormatException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new ModelFormatException(path, what + " needs bytes [" + offset + ", " + (offset + length)
                    + ") but the file has " + size + " bytes (truncated file?)");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
