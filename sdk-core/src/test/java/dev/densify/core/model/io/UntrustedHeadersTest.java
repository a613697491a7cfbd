package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.core.model.LlamaConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture numbers in a file header are untrusted: checked against the tensors present and the memory they
 * imply before anything is allocated (a 1 MB file claiming 1e9 layers once ran the JVM out of memory), and
 * non-finite weights are reported by tensor name at load.
 */
class UntrustedHeadersTest {
    private static final int BILLION = 1_000_000_000;

    @TempDir
    Path dir;

    private final ModelWeights tiny = RandomWeights.of(RandomWeights.tiny(true), 5, Optional.empty());

    private static LlamaConfig withLayers(LlamaConfig c, int layers) {
        return new LlamaConfig(c.dim(), c.hiddenDim(), layers, c.heads(), c.kvHeads(), c.vocabSize(), c.maxSeqLen(),
                c.ropeTheta(), c.normEps(), c.tiedEmbeddings(), c.ropeInterleaved(), c.attentionBias());
    }

    @Test
    void aLlama2cHeaderClaimingABillionLayersIsRejectedByItsSize() throws IOException {
        ByteBuffer file = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {64, 172, BILLION, 8, 4, 512, 256}) {
            file.putInt(v);
        }
        Path bin = Files.write(dir.resolve("huge.bin"), file.array());
        String message = assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(bin, Optional.empty())).getMessage();
        // tensors are stored kind by kind across layers: the attention norms of 3583 layers fit in 1 MB
        assertTrue(message.startsWith(bin + ": tensor model.layers.3583.input_layernorm.weight [64] (F32) needs"
                + " bytes ["), message);
    }

    @Test
    void aGgufBlockCountBeyondTheTensorsPresentIsRejected() throws IOException {
        GgufTestFile gguf = GgufTestFile.metadata("llama", withLayers(tiny.config(), BILLION));
        tiny.tensors().values().stream().sorted(Comparator.comparing(WeightTensor::name))
                .forEach(t -> gguf.f32Tensor(GgufTestFile.GGUF_NAME.apply(t.name()), t.shape(), t.data()));
        Path file = Files.write(dir.resolve("huge.gguf"), gguf.bytes());
        assertEquals(file + ": llama.block_count claims 1000000000 layers but the file holds tensors of 2 layers",
                assertThrows(ModelFormatException.class, () -> GgufFormat.read(file)).getMessage());
    }

    @Test
    void aHuggingFaceLayerCountBeyondTheTensorsPresentIsRejected() throws IOException {
        Path folder = dir.resolve("hf");
        HuggingFaceFormat.write(tiny, folder);
        Path config = editConfig(folder, json -> json.put("num_hidden_layers", BILLION));
        assertEquals(config + ": num_hidden_layers claims 1000000000 layers but the file holds tensors of 2 layers",
                assertThrows(ModelFormatException.class, () -> ModelFiles.read(folder)).getMessage());
    }

    @Test
    void aHeaderImplyingMoreMemoryThanTheHeapIsRejectedBeforeAllocating() throws IOException {
        Path folder = dir.resolve("wide");
        HuggingFaceFormat.write(tiny, folder);
        Path config = editConfig(folder, json -> json.put("vocab_size", Integer.MAX_VALUE).put("hidden_size", 1 << 16)
                .put("head_dim", (1 << 16) / 4));
        String message = assertThrows(ModelFormatException.class, () -> ModelFiles.read(folder)).getMessage();
        assertTrue(message.startsWith(config + ": its header (") && message.contains("MiB of float32 weights but this"
                + " JVM may use at most"), message);
    }

    @Test
    void nonFiniteWeightsAreNamedAtLoad() throws IOException {
        Map<String, WeightTensor> tensors = new HashMap<>(tiny.tensors());
        String name = CanonicalNames.layer(1, CanonicalNames.V_PROJ);
        float[] data = tensors.get(name).data().clone();
        data[3] = Float.NaN;
        data[9] = Float.POSITIVE_INFINITY;
        tensors.put(name, new WeightTensor(name, tensors.get(name).shape(), data));
        ModelWeights poisoned = new ModelWeights(tiny.config(), tensors, Optional.empty());
        String expected = ": tensor model.layers.1.self_attn.v_proj.weight holds 2 non-finite values (the first, NaN,"
                + " at index 3 of 128); weights must be finite numbers";

        Path bin = dir.resolve("nan.bin");
        Llama2cFormat.writeCheckpoint(poisoned, bin);
        assertEquals(bin + expected, assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(bin, Optional.empty())).getMessage());
        Path folder = dir.resolve("nan");
        HuggingFaceFormat.write(poisoned, folder);
        assertEquals(folder + expected, assertThrows(ModelFormatException.class,
                () -> ModelFiles.read(folder)).getMessage());
        Path gguf = Files.write(dir.resolve("nan.gguf"), GgufTestFile.of("llama", poisoned).bytes());
        assertEquals(gguf + expected, assertThrows(ModelFormatException.class, () -> GgufFormat.read(gguf)).getMessage());
    }

    private static Path editConfig(Path folder, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path config = folder.resolve(HuggingFaceFormat.CONFIG);
        ObjectNode node = (ObjectNode) json.readTree(config.toFile());
        edit.accept(node);
        json.writeValue(config.toFile(), node);
        return config;
    }
}
