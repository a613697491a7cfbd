package dev.densify.core.model.io;

import dev.densify.core.model.WeightTensor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** An open safetensors file: its header is parsed and checked up front, tensors are decoded on demand. */
final class SafetensorsFile implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Real headers are kilobytes to a few megabytes; a larger length means a corrupt or foreign file. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final Map<String, Encoding> DTYPES = Map.of("F32", Encoding.F32, "F16", Encoding.F16,
            "BF16", Encoding.BF16);

    private record Entry(long[] shape, Encoding encoding, long begin, long end) {}

    private final MappedFile file;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final long dataStart;

    private SafetensorsFile(MappedFile file, Map<String, Entry> entries, Map<String, String> metadata,
                            long dataStart) {
        this.file = file;
        this.entries = entries;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    static SafetensorsFile open(Path path) throws IOException {
        MappedFile file = MappedFile.open(path);
        try {
            return parse(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(MappedFile file) throws IOException {
        Path path = file.path();
        long headerLength = file.bytes(0, 8, "the 8-byte header length").getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException(path, "header length " + headerLength + " is not plausible (expected 2.."
                    + MAX_HEADER_BYTES + "): not a safetensors file?");
        }
        ByteBuffer headerBytes = file.bytes(8, headerLength, "the " + headerLength + "-byte JSON header");
        byte[] json = new byte[(int) headerLength];
        headerBytes.get(json);
        JsonNode header;
        try {
            header = JSON.readTree(new String(json, StandardCharsets.UTF_8).stripTrailing());
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(path, "the header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException(path, "the header must be a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = file.size() - dataStart;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            if (field.getKey().equals("__metadata__")) {
                field.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
            } else {
                entries.put(field.getKey(), entry(path, field.getKey(), field.getValue(), dataSize));
            }
        }
        return new SafetensorsFile(file, entries, Collections.unmodifiableMap(metadata), dataStart);
    }

    private static Entry entry(Path path, String name, JsonNode node, long dataSize) throws ModelFormatException {
        String dtype = node.path("dtype").asText("");
        Encoding encoding = DTYPES.get(dtype);
        if (encoding == null) {
            throw new ModelFormatException(path, "tensor " + name + " has dtype '" + dtype + "', expected one of"
                    + " F32, F16, BF16");
        }
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new ModelFormatException(path, "tensor " + name + " needs a 'shape' array and 'data_offsets'"
                    + " [begin, end], got " + node);
        }
        long[] shape = new long[shapeNode.size()];
        long expectedBytes = encoding.blockBytes;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).canConvertToLong() ? shapeNode.get(i).asLong() : -1;
            if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
                throw new ModelFormatException(path, "tensor " + name + " has shape " + shapeNode
                        + ", expected non-negative integers");
            }
            try {
                expectedBytes = Math.multiplyExact(expectedBytes, shape[i]);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(path, "tensor " + name + " has shape " + shapeNode + ", too large", e);
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end - begin != expectedBytes) {
            throw new ModelFormatException(path, "tensor " + name + " " + Arrays.toString(shape) + " " + dtype
                    + " needs " + expectedBytes + " bytes but its data_offsets are " + offsets);
        }
        if (end > dataSize) {
            throw new ModelFormatException(path, "tensor " + name + " " + Arrays.toString(shape) + " ends at data byte "
                    + end + " but the file holds only " + dataSize + " data bytes (truncated file?)");
        }
        return new Entry(shape, encoding, begin, end);
    }

    Path path() {
        return file.path();
    }

    Set<String> names() {
        return entries.keySet();
    }

    Map<String, String> metadata() {
        return metadata;
    }

    long[] shape(String name) {
        return entries.get(name).shape().clone();
    }

    /** Decodes one tensor to float32. */
    WeightTensor read(String name) throws IOException {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new ModelFormatException(file.path(), "missing tensor " + name);
        }
        return file.tensor(name, entry.shape(), dataStart + entry.begin(), entry.encoding());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
