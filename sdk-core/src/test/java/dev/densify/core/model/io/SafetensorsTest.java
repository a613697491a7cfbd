package dev.densify.core.model.io;

import dev.densify.core.model.WeightTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A safetensors file from a header JSON and raw data bytes, laid out exactly as given. */
    static Path raw(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        return Files.write(file, bytes.array());
    }

    private static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putShort((short) v);
        }
        return buffer.array();
    }

    @Test
    void writtenTensorsAndMetadataReadBackBitForBit() {
        int[] counter = {0};
        qt().withExamples(50).forAll(lists().of(integers().between(0, 5)).ofSizeBetween(0, 4), integers().all())
                .checkAssert((shape, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    long[] dims = shape.stream().mapToLong(Integer::longValue).toArray();
                    int size = (int) Arrays.stream(dims).reduce(1, (a, b) -> a * b);
                    float[] data = new float[size];
                    for (int i = 0; i < size; i++) {
                        // raw bits: NaN payloads, infinities and subnormals must survive too
                        data[i] = Float.intBitsToFloat(random.nextInt());
                    }
                    List<WeightTensor> tensors = List.of(new WeightTensor("b.weight", dims, data),
                            new WeightTensor("a", new long[] {2}, new float[] {-0.0f, 1.5f}));
                    Path file = dir.resolve("t" + counter[0]++ + ".safetensors");
                    try {
                        Safetensors.write(file, tensors, Map.of("seed", Integer.toString(seed)));
                        Safetensors.Contents read = Safetensors.read(file);
                        assertEquals(Map.of("seed", Integer.toString(seed)), read.metadata());
                        assertEquals(2, read.tensors().size());
                        for (WeightTensor t : tensors) {
                            WeightTensor back = read.tensors().get(t.name());
                            assertArrayEquals(t.shape(), back.shape());
                            assertArrayEquals(bits(t.data()), bits(back.data()));
                        }
                        assertEquals(0, (Files.size(file) - 8 - 4L * (size + 2)) % 8, "header padded to 8 bytes");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void halfPrecisionDtypesDecodeToKnownValues() throws IOException {
        String header = "{\"__metadata__\": {\"format\": \"pt\"},"
                + "\"h\": {\"dtype\": \"F16\", \"shape\": [2, 2], \"data_offsets\": [0, 8]},"
                + "\"b\": {\"dtype\": \"BF16\", \"shape\": [3], \"data_offsets\": [8, 14]}}";
        byte[] data = new byte[14];
        System.arraycopy(shorts(0x3C00, 0xC000, 0x3555, 0x0001), 0, data, 0, 8);
        System.arraycopy(shorts(0x3F80, 0x4049, 0xC2F7), 0, data, 8, 6);
        Safetensors.Contents read = Safetensors.read(raw(dir.resolve("half.safetensors"), header, data));
        assertArrayEquals(new float[] {1f, -2f, 0.333251953125f, 0x1p-24f}, read.tensors().get("h").data());
        assertArrayEquals(new long[] {2, 2}, read.tensors().get("h").shape());
        assertArrayEquals(new float[] {1f, 3.140625f, -123.5f}, read.tensors().get("b").data());
    }

    @Test
    void unknownDtypeNamesFileAndTensor() throws IOException {
        Path file = raw(dir.resolve("i64.safetensors"),
                "{\"step\": {\"dtype\": \"I64\", \"shape\": [], \"data_offsets\": [0, 8]}}", new byte[8]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(file));
        assertEquals(file + ": tensor step has dtype 'I64', expected one of F32, F16, BF16", e.getMessage());
    }

    @Test
    void truncatedDataNamesFileAndTensor() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        Safetensors.write(file, List.of(new WeightTensor("x", new long[] {4}, new float[4]),
                new WeightTensor("y", new long[] {2, 3}, new float[6])), Map.of());
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 5));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": tensor y [2, 3] ends at data byte 40 but the file holds only"
                + " 35 data bytes (truncated file?)"), e.getMessage());
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreReported() throws IOException {
        Path file = raw(dir.resolve("offsets.safetensors"),
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", new byte[12]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(file));
        assertEquals(file + ": tensor w [3] F32 needs 12 bytes but its data_offsets are [0,8]", e.getMessage());
    }

    @Test
    void foreignFilesFailOnTheHeader() throws IOException {
        Path notSafetensors = Files.write(dir.resolve("text.safetensors"),
                "this is not a checkpoint at all".getBytes(StandardCharsets.US_ASCII));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(notSafetensors));
        assertTrue(e.getMessage().startsWith(notSafetensors + ": header length "), e.getMessage());
        Path badJson = raw(dir.resolve("json.safetensors"), "{\"w\": [", new byte[0]);
        e = assertThrows(ModelFormatException.class, () -> Safetensors.read(badJson));
        assertTrue(e.getMessage().startsWith(badJson + ": the header is not valid JSON"), e.getMessage());
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[3]);
        e = assertThrows(ModelFormatException.class, () -> Safetensors.read(tiny));
        assertTrue(e.getMessage().startsWith(tiny + ": the 8-byte header length needs bytes [0, 8)"),
                e.getMessage());
    }

    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
