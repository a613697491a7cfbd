package dev.densify.core.model.io;

import dev.densify.core.model.WeightTensor;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.api.API;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Single safetensors files: an 8-byte little-endian header length, a JSON header mapping each tensor name to its
 * dtype, shape and byte range (plus an optional {@code __metadata__} of strings), then the raw little-endian data.
 * Reads F32, F16 and BF16 into float32; writes F32, so that what was written reads back bit for bit.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Safetensors {
    private Safetensors() {}

    /** The tensors of a safetensors file with their metadata. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Contents(Map<String, WeightTensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Map.copyOf(Objects.requireNonNull(tensors, "tensors"));
            metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        }
    }

    /** Reads every tensor of the file. */
    public static Contents read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            Map<String, WeightTensor> tensors = new LinkedHashMap<>();
            for (String name : in.names()) {
                tensors.put(name, in.read(name));
            }
            return new Contents(tensors, in.metadata());
        }
    }

    /** Writes the tensors in float32, sorted by name, with {@code metadata} as the header's {@code __metadata__}. */
    public static void write(Path file, Collection<WeightTensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        List<WeightTensor> sorted = tensors.stream().sorted(Comparator.comparing(WeightTensor::name)).toList();
        Set<String> names = new HashSet<>();
        ObjectNode header = SafetensorsFile.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (WeightTensor t : sorted) {
            if (!names.add(t.name()) || t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("tensor name " + t.name() + " is used twice or reserved");
            }
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long end = offset + 4L * t.data().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = SafetensorsFile.JSON.writeValueAsBytes(header);
        // pad with spaces so the data starts 8-byte aligned, as the reference implementation does
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, prefix.flip());
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (WeightTensor t : sorted) {
                float[] data = t.data();
                for (int i = 0; i < data.length; ) {
                    int n = Math.min(chunk.capacity() / 4, data.length - i);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, i, n);
                    chunk.limit(4 * n);
                    writeFully(out, chunk);
                    i += n;
                }
            }
        }
    }

    /** The header's {@code __metadata__} strings, without reading any tensor. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (SafetensorsFile in = SafetensorsFile.open(Objects.requireNonNull(file, "file"))) {
            return in.metadata();
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
