package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.model.tokenizer.SentencePieceBpeTokenizer;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    private final SentencePieceBpeTokenizer vocabulary = HuggingFaceFormatTest.randomVocabulary(3);
    private final LlamaConfig config = new LlamaConfig(16, 40, 2, 4, 2, vocabulary.vocabSize(), 24, 10000.0, 1e-5,
            true, true, false);
    private final ModelWeights weights = RandomWeights.of(config, 9, Optional.empty());

    @Test
    void llama2cCheckpointsFindTheirTokenizerBesideThem() throws IOException {
        Path bin = dir.resolve("model.bin");
        Llama2cFormat.writeCheckpoint(weights, bin);
        assertTrue(ModelFiles.read(bin).tokenizer().isEmpty());
        SentencePieceBpeTokenizer llama2c = new SentencePieceBpeTokenizer(vocabulary.pieces(), vocabulary.scores(),
                vocabulary.types(), 1, 2, 0, true);
        Llama2cFormat.writeTokenizer(llama2c, dir.resolve("tok" + vocabulary.vocabSize() + ".bin"));
        ModelWeights read = ModelFiles.read(bin);
        assertEquals(weights.tensors(), read.tensors());
        SentencePieceBpeTokenizer found = (SentencePieceBpeTokenizer) read.tokenizer().orElseThrow();
        assertEquals(vocabulary.pieces(), found.pieces());
    }

    @Test
    void ggufFilesAreRecognisedByTheirMagicWhateverTheirName() throws IOException {
        Path file = Files.write(dir.resolve("model.weights"), GgufTestFile.of("llama", weights).bytes());
        ModelWeights read = ModelFiles.read(file);
        assertEquals(weights.config(), read.config());
        assertEquals(weights.tensors(), read.tensors());
    }

    @Test
    void writtenFoldersReadBackFromTheFolderOrItsWeightsFile() throws IOException {
        ModelWeights withTokenizer = new ModelWeights(config, weights.tensors(), Optional.of(vocabulary));
        Path folder = dir.resolve("saved");
        ModelFiles.write(withTokenizer, folder);
        for (Path path : List.of(folder, folder.resolve(HuggingFaceFormat.WEIGHTS))) {
            ModelWeights read = ModelFiles.read(path);
            assertEquals(config, read.config());
            assertEquals(weights.tensors(), read.tensors());
            Tokenizer tokenizer = read.tokenizer().orElseThrow();
            assertArrayEquals(vocabulary.encode("abc é", true), tokenizer.encode("abc é", true));
        }
        Tokenizer alone = ModelFiles.readTokenizer(folder.resolve("densify-tokenizer.json"));
        assertEquals(vocabulary.vocabSize(), alone.vocabSize());
    }

    @Test
    void anExplicitTokenizerReplacesTheFilesOne() throws IOException {
        ModelWeights withTokenizer = new ModelWeights(config, weights.tensors(), Optional.of(vocabulary));
        Path folder = dir.resolve("replaced");
        ModelFiles.write(withTokenizer, folder);
        ModelWeights read = ModelFiles.read(folder, new ByteTokenizer());
        assertEquals(Optional.of(new ByteTokenizer()), read.tokenizer());
        LlamaConfig small = new LlamaConfig(16, 40, 2, 4, 2, 32, 24, 10000.0, 1e-5, true, true, false);
        Path bin = dir.resolve("small.bin");
        Llama2cFormat.writeCheckpoint(RandomWeights.of(small, 1, Optional.empty()), bin);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFiles.read(bin, new ByteTokenizer()));
        assertTrue(e.getMessage().contains("259 tokens but the checkpoint's vocab_size is only 32"), e.getMessage());
    }

    @Test
    void adaptersRoundTripWithTheirMetadataAndBaseConfig() throws IOException {
        String a = "model.layers.0.self_attn.q_proj.lora_a";
        String b = "model.layers.0.self_attn.q_proj.lora_b";
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        float[] down = new float[64];
        float[] up = new float[64];
        for (int i = 0; i < 64; i++) {
            down[i] = (float) random.nextGaussian();
            up[i] = (float) random.nextGaussian();
        }
        ModelWeights tensors = new ModelWeights(config, Map.of(a, new WeightTensor(a, new long[] {4, 16}, down),
                b, new WeightTensor(b, new long[] {16, 4}, up)), Optional.empty());
        AdapterWeights adapter = new AdapterWeights(tensors, Map.of("rank", "4", "alpha", "8.0",
                "targets", "q_proj"));
        ModelFiles.writeAdapter(adapter, dir.resolve("lora"));
        AdapterWeights read = ModelFiles.readAdapter(dir.resolve("lora"));
        assertEquals(adapter.metadata(), read.metadata());
        assertEquals(adapter.weights().config(), read.weights().config());
        assertEquals(adapter.weights().tensors(), read.weights().tensors());
        assertEquals(read, ModelFiles.readAdapter(dir.resolve("lora").resolve(ModelFiles.ADAPTER)));

        Path plain = dir.resolve("plain.safetensors");
        Safetensors.write(plain, tensors.tensors().values(), Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.readAdapter(plain));
        assertEquals(plain + ": missing metadata densify.base_config: not a densify adapter", e.getMessage());
    }

    @Test
    void absentPathsAndFoldersWithoutConfigAreNamed() throws IOException {
        Path absent = dir.resolve("absent.gguf");
        assertEquals(absent + ": no such file or folder",
                assertThrows(ModelFormatException.class, () -> ModelFiles.read(absent)).getMessage());
        Path folder = Files.createDirectories(dir.resolve("folder"));
        assertEquals(folder + ": a checkpoint folder needs config.json and safetensors weights (or adapter.safetensors,"
                + " LoRA adapters naming their base)",
                assertThrows(ModelFormatException.class, () -> ModelFiles.read(folder)).getMessage());
    }

    @Test
    void anEmptyGgufFileGetsAGgufMessage() throws IOException {
        Path empty = Files.write(dir.resolve("empty.gguf"), new byte[0]);
        assertEquals(empty + ": not a GGUF file: its 0 bytes do not start with the magic 'GGUF' (empty, truncated or"
                + " another format?)", assertThrows(ModelFormatException.class, () -> ModelFiles.read(empty)).getMessage());
    }
}
