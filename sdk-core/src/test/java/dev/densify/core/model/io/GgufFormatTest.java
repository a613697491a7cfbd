package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFormatTest {
    @TempDir
    Path dir;

    private final ModelWeights weights = RandomWeights.of(RandomWeights.tiny(false), 7, Optional.empty());

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private ModelFormatException failure(Path file) {
        return assertThrows(ModelFormatException.class, () -> GgufFormat.read(file));
    }

    @Test
    void readsTensorsAndConfigBack() throws IOException {
        ModelWeights read = GgufFormat.read(write("m.gguf", GgufTestFile.of("llama", weights).bytes()));
        assertEquals(weights.config(), read.config());
        assertEquals(weights.tensors(), read.tensors());
        assertTrue(read.tokenizer().isEmpty());
    }

    @Test
    void aClassifierThatCopiesTheEmbeddingIsTied() throws IOException {
        Map<String, WeightTensor> tensors = new HashMap<>(weights.tensors());
        float[] embedding = tensors.get(CanonicalNames.EMBED_TOKENS).data();
        tensors.put(CanonicalNames.LM_HEAD, new WeightTensor(CanonicalNames.LM_HEAD, new long[] {32, 16},
                embedding.clone()));
        ModelWeights read = GgufFormat.read(write("copy.gguf",
                GgufTestFile.of("llama", new ModelWeights(weights.config(), tensors, Optional.empty())).bytes()));
        assertTrue(read.config().tiedEmbeddings());
        assertFalse(read.tensors().containsKey(CanonicalNames.LM_HEAD));
    }

    @Test
    void halfPrecisionTensorsDecode() throws IOException {
        short[] halves = {0x3C00, (short) 0xC000, 0x3555, 0x7BFF, 0x0001, (short) 0x8400};
        float[] values = {1f, -2f, 0.333251953125f, 65504f, 0x1p-24f, -0x1p-14f};
        short[] bf16 = {0x3F80, 0x4049, (short) 0xC049};
        float[] bfValues = {1f, 3.140625f, -3.140625f};
        GgufTestFile halfFile = rebuild(weights, (name, shape, size) -> {
            boolean brain = name.matches(".*ffn_(gate|up|down).*");
            short[] source = brain ? bf16 : halves;
            ByteBuffer data = ByteBuffer.allocate(2 * size).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < size; i++) {
                data.putShort(source[i % source.length]);
            }
            return new Stored(brain ? GgufTestFile.BF16 : GgufTestFile.F16, data.array());
        });
        ModelWeights read = GgufFormat.read(write("half.gguf", halfFile.bytes()));
        for (WeightTensor t : read.tensors().values()) {
            float[] expected = t.name().contains("mlp") ? bfValues : values;
            for (int i = 0; i < t.data().length; i++) {
                assertEquals(expected[i % expected.length], t.data()[i], t.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void q8TensorsDequantize() throws IOException {
        LlamaConfig config = new LlamaConfig(32, 64, 1, 4, 2, 8, 16, 10000.0, 1e-5, true, true, false);
        ModelWeights w = RandomWeights.of(config, 3, Optional.empty());
        GgufTestFile file = rebuild(w, (name, shape, size) -> {
            if (!name.equals("token_embd.weight")) {
                return null;
            }
            ByteBuffer data = ByteBuffer.allocate(size / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < size / 32; b++) {
                data.putShort((short) 0x3400); // 0.25
                for (int j = 0; j < 32; j++) {
                    data.put((byte) (b + j - 20));
                }
            }
            return new Stored(GgufTestFile.Q8_0, data.array());
        });
        float[] embedding = GgufFormat.read(write("q8.gguf", file.bytes())).tensors()
                .get(CanonicalNames.EMBED_TOKENS).data();
        assertEquals(8 * 32, embedding.length);
        for (int i = 0; i < embedding.length; i++) {
            assertEquals((i / 32 + i % 32 - 20) * 0.25f, embedding[i], "element " + i);
        }
    }

    @Test
    void qwen2IsRotateHalfWithAttentionBiases() throws IOException {
        LlamaConfig config = new LlamaConfig(16, 40, 2, 4, 2, 32, 24, 1000000.0, 1e-6, true, false, true);
        ModelWeights w = RandomWeights.of(config, 4, Optional.empty());
        ModelWeights read = GgufFormat.read(write("qwen.gguf", GgufTestFile.of("qwen2", w).bytes()));
        assertEquals(config, read.config());
        assertEquals(w.tensors(), read.tensors());
    }

    @Test
    void embeddedSentencePieceTokenizerMapsSpacesAndBytes() throws IOException {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(6);
        }
        tokens.addAll(List.of("\u2581", "h", "i", "hi", "\u2581hi"));
        types.addAll(List.of(1, 1, 1, 1, 1));
        float[] scores = new float[tokens.size()];
        scores[tokens.size() - 2] = -1;
        scores[tokens.size() - 1] = -0.5f;
        LlamaConfig config = new LlamaConfig(16, 40, 1, 4, 2, tokens.size(), 24, 10000.0, 1e-5, true, true, false);
        ModelWeights w = RandomWeights.of(config, 5, Optional.empty());
        GgufTestFile file = GgufTestFile.of("llama", w).string("tokenizer.ggml.model", "llama").strings("tokenizer.ggml.tokens",
                tokens).floats("tokenizer.ggml.scores", scores)
                .ints("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray())
                .u32("tokenizer.ggml.bos_token_id", 1).u32("tokenizer.ggml.eos_token_id", 2)
                .u32("tokenizer.ggml.unknown_token_id", 0);
        Tokenizer tokenizer = GgufFormat.read(write("tok.gguf", file.bytes())).tokenizer().orElseThrow();
        int space = tokens.indexOf("\u2581hi");
        assertArrayEquals(new int[] {1, space, 3 + '!'}, tokenizer.encode("hi!", true));
        assertEquals("hi!", tokenizer.decode(new int[] {1, space, 3 + '!', 2}));
    }

    @Test
    void badMagicIsNamed() throws IOException {
        Path file = write("bad.gguf", "GGML and more bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(failure(file).getMessage().startsWith(file + ": bad magic 0x4c4d4747, expected the bytes 'GGUF'"));
    }

    @Test
    void version1IsRejected() throws IOException {
        Path file = write("v1.gguf", GgufTestFile.of("llama", weights).bytes(1));
        assertEquals(file + ": GGUF version 1 is not supported, expected 2 or 3", failure(file).getMessage());
    }

    @Test
    void truncatedHeaderNamesTheEntry() throws IOException {
        byte[] bytes = GgufTestFile.of("llama", weights).bytes();
        Path file = write("cut.gguf", Arrays.copyOf(bytes, 60));
        String message = failure(file).getMessage();
        assertTrue(message.startsWith(file + ": the header ends inside metadata "), message);
        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void truncatedDataNamesTheTensor() throws IOException {
        byte[] bytes = GgufTestFile.of("llama", weights).bytes();
        Path file = write("short.gguf", Arrays.copyOf(bytes, bytes.length - 10));
        String message = failure(file).getMessage();
        // tensors are written sorted by canonical name: model.norm.weight ([16]) comes last
        assertTrue(message.startsWith(file + ": tensor output_norm.weight [16] (F32) needs bytes"), message);
        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void unknownTensorTypeIsNamed() throws IOException {
        Path file = write("q4k.gguf", rebuild(weights, (name, shape, size) -> name.equals("blk.1.attn_q.weight")
                ? new Stored(12, new byte[144]) : null).bytes());
        assertEquals(file + ": tensor blk.1.attn_q.weight has ggml type 12, expected one of F32 (0), F16 (1), "
                + "Q4_0 (2), Q8_0 (8), BF16 (30)", failure(file).getMessage());
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path file = write("missing.gguf", rebuild(weights, (name, shape, size) -> name.equals("blk.1.ffn_up.weight")
                ? DROP : null).bytes());
        assertEquals(file + ": missing tensor blk.1.ffn_up.weight (model.layers.1.mlp.up_proj.weight), expected shape"
                + " [40, 16]", failure(file).getMessage());
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        GgufTestFile file = rebuild(weights, (name, shape, size) -> name.equals("blk.0.attn_k.weight") ? DROP : null);
        file.f32Tensor("blk.0.attn_k.weight", new long[] {16, 16}, new float[256]);
        Path path = write("shape.gguf", file.bytes());
        String message = failure(path).getMessage();
        assertTrue(message.startsWith(path + ": tensor blk.0.attn_k.weight has shape [16, 16], expected [8, 16]"),
                message);
    }

    @Test
    void missingMetadataAndUnknownArchitecturesAreNamed() throws IOException {
        GgufTestFile noHeads = new GgufTestFile().string("general.architecture", "llama")
                .u32("llama.embedding_length", 16);
        Path file = write("noheads.gguf", noHeads.bytes());
        assertEquals(file + ": missing metadata key llama.attention.head_count", failure(file).getMessage());
        Path gpt = write("gpt.gguf", new GgufTestFile().string("general.architecture", "gpt2").bytes());
        assertEquals(gpt + ": general.architecture is 'gpt2', expected one of [llama, qwen2]",
                failure(gpt).getMessage().replace("[qwen2, llama]", "[llama, qwen2]"));
    }

    /** How a rebuilt file stores one tensor: a ggml type and its bytes, or {@link #DROP}. */
    private record Stored(int type, byte[] data) {}

    private static final Stored DROP = new Stored(-1, new byte[0]);

    private interface Recoder {
        /** The replacement storage, or null to keep the tensor in F32. */
        Stored recode(String ggufName, long[] shape, int size);
    }

    private static GgufTestFile rebuild(ModelWeights w, Recoder recoder) {
        GgufTestFile file = GgufTestFile.metadata("llama", w.config());
        w.tensors().values().stream().sorted(java.util.Comparator.comparing(WeightTensor::name)).forEach(t -> {
            String name = GgufTestFile.GGUF_NAME.apply(t.name());
            Stored stored = recoder.recode(name, t.shape(), t.data().length);
            if (stored == null) {
                file.f32Tensor(name, t.shape(), t.data());
            } else if (stored != DROP) {
                file.tensor(name, t.shape(), stored.type(), stored.data());
            }
        });
        return file;
    }
}
