package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.ByteLevelBpeJson;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.model.tokenizer.HuggingFaceJsonTokenizer;
import dev.densify.core.model.tokenizer.PieceType;
import dev.densify.core.model.tokenizer.SentencePieceBpeTokenizer;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final LlamaConfig config = RandomWeights.tiny(false);
    private final ModelWeights weights = RandomWeights.of(config, 11, Optional.empty());

    @Test
    void writeThenReadGivesIdenticalWeightsForRandomArchitectures() {
        int[] counter = {0};
        qt().withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            ModelWeights original = RandomWeights.of(RandomConfigs.of(seed), seed, Optional.of(new ByteTokenizer()));
            Path folder = dir.resolve("m" + counter[0]++);
            try {
                HuggingFaceFormat.write(original, folder);
                ModelWeights read = HuggingFaceFormat.read(folder);
                assertEquals(original.config(), read.config());
                assertEquals(original.tensors(), read.tensors());
                assertEquals(original.tokenizer(), read.tokenizer());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void shardedCheckpointsReadThroughTheIndex() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("sharded"));
        Files.writeString(folder.resolve("config.json"), HfConfig.toJson(config, java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty()).put(HfConfig.ROPE_INTERLEAVED, true).toString());
        List<WeightTensor> first = new ArrayList<>();
        List<WeightTensor> second = new ArrayList<>();
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode weightMap = index.putObject("weight_map");
        weights.tensors().values().forEach(t -> {
            boolean early = t.name().startsWith("model.layers.0.") || t.name().equals(CanonicalNames.EMBED_TOKENS);
            (early ? first : second).add(t);
            weightMap.put(t.name(), early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        });
        Safetensors.write(folder.resolve("model-00001-of-00002.safetensors"), first, Map.of("format", "pt"));
        Safetensors.write(folder.resolve("model-00002-of-00002.safetensors"), second, Map.of("format", "pt"));
        Files.writeString(folder.resolve(HuggingFaceFormat.INDEX), index.toString());
        ModelWeights read = HuggingFaceFormat.read(folder);
        assertEquals(config, read.config());
        assertEquals(weights.tensors(), read.tensors());

        // an index that places a tensor in the wrong shard names that shard
        weightMap.put(CanonicalNames.FINAL_NORM, "model-00001-of-00002.safetensors");
        Files.writeString(folder.resolve(HuggingFaceFormat.INDEX), index.toString());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HuggingFaceFormat.read(folder));
        assertEquals(folder.resolve("model-00001-of-00002.safetensors") + ": missing tensor model.norm.weight (the"
                + " index places it here)", e.getMessage());

        // and a shard that is not there is named too
        weightMap.put(CanonicalNames.FINAL_NORM, "model-00003-of-00002.safetensors");
        Files.writeString(folder.resolve(HuggingFaceFormat.INDEX), index.toString());
        e = assertThrows(ModelFormatException.class, () -> HuggingFaceFormat.read(folder));
        assertEquals(folder.resolve("model-00003-of-00002.safetensors") + ": no such file", e.getMessage());
    }

    @Test
    void missingTensorNamesFileAndTensor() throws IOException {
        Path folder = dir.resolve("missing");
        HuggingFaceFormat.write(weights, folder);
        Map<String, WeightTensor> tensors = new HashMap<>(weights.tensors());
        tensors.remove("model.layers.1.mlp.up_proj.weight");
        Safetensors.write(folder.resolve(HuggingFaceFormat.WEIGHTS), tensors.values(), Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HuggingFaceFormat.read(folder));
        assertEquals(folder.resolve("model.safetensors") + ": missing tensor model.layers.1.mlp.up_proj.weight,"
                + " expected shape [40, 16]", e.getMessage());
    }

    @Test
    void wrongShapeNamesFileTensorAndExpectation() throws IOException {
        Path folder = dir.resolve("shape");
        HuggingFaceFormat.write(weights, folder);
        Map<String, WeightTensor> tensors = new HashMap<>(weights.tensors());
        String name = "model.layers.0.self_attn.k_proj.weight";
        tensors.put(name, new WeightTensor(name, new long[] {16, 16}, new float[256]));
        Safetensors.write(folder.resolve(HuggingFaceFormat.WEIGHTS), tensors.values(), Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HuggingFaceFormat.read(folder));
        assertTrue(e.getMessage().startsWith(folder.resolve("model.safetensors") + ": tensor " + name
                + " has shape [16, 16], expected [8, 16]"), e.getMessage());
    }

    @Test
    void truncatedWeightsNameTheTensor() throws IOException {
        Path folder = dir.resolve("cut");
        HuggingFaceFormat.write(weights, folder);
        Path file = folder.resolve(HuggingFaceFormat.WEIGHTS);
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 4));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HuggingFaceFormat.read(folder));
        // tensors are stored sorted by name: the last is model.norm.weight
        assertTrue(e.getMessage().startsWith(file + ": tensor model.norm.weight [16] ends at data byte"),
                e.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HuggingFaceFormat.read(empty));
        assertEquals(empty.resolve("config.json") + ": no such file", e.getMessage());
        Files.writeString(empty.resolve("config.json"), HfConfig.toJson(config, java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty()).toString());
        e = assertThrows(ModelFormatException.class, () -> HuggingFaceFormat.read(empty));
        assertEquals(empty + ": expected model.safetensors or model.safetensors.index.json beside config.json",
                e.getMessage());
    }

    @Test
    void sentencePieceTokenizersSurviveWithExactScores() {
        int[] counter = {0};
        qt().withExamples(20).forAll(longs().all()).checkAssert(seed -> {
            SentencePieceBpeTokenizer tokenizer = randomVocabulary(seed);
            LlamaConfig c = new LlamaConfig(8, 8, 1, 2, 1, tokenizer.vocabSize(), 16, 10000.0, 1e-5, true, true,
                    false);
            Path folder = dir.resolve("sp" + counter[0]++);
            try {
                HuggingFaceFormat.write(RandomWeights.of(c, seed, Optional.of(tokenizer)), folder);
                SentencePieceBpeTokenizer read = (SentencePieceBpeTokenizer) HuggingFaceFormat.read(folder)
                        .tokenizer().orElseThrow();
                assertEquals(tokenizer.pieces(), read.pieces());
                assertArrayEquals(SafetensorsTest.bits(tokenizer.scores()), SafetensorsTest.bits(read.scores()));
                assertEquals(tokenizer.types(), read.types());
                assertEquals(List.of(tokenizer.bos(), tokenizer.eos(), tokenizer.unk()),
                        List.of(read.bos(), read.eos(), read.unk()));
                String config = Files.readString(folder.resolve("config.json"));
                assertTrue(config.contains("\"bos_token_id\" : 1"), config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A decimal has no negative zero; a score of -0.0 (seed 336's vocabulary has one) must still keep its bits. */
    @Test
    void negativeZeroScoresSurvive() throws IOException {
        SentencePieceBpeTokenizer tokenizer = randomVocabulary(336);
        boolean negativeZero = false;
        for (float score : tokenizer.scores()) {
            negativeZero |= Float.floatToRawIntBits(score) == Float.floatToRawIntBits(-0.0f);
        }
        assertTrue(negativeZero, "the vocabulary of seed 336 holds a score of -0.0");
        LlamaConfig c = new LlamaConfig(8, 8, 1, 2, 1, tokenizer.vocabSize(), 16, 10000.0, 1e-5, true, true, false);
        Path folder = dir.resolve("negative-zero");
        HuggingFaceFormat.write(RandomWeights.of(c, 336, Optional.of(tokenizer)), folder);
        SentencePieceBpeTokenizer read = (SentencePieceBpeTokenizer) HuggingFaceFormat.read(folder).tokenizer()
                .orElseThrow();
        assertArrayEquals(SafetensorsTest.bits(tokenizer.scores()), SafetensorsTest.bits(read.scores()));
    }

    @Test
    void huggingFaceTokenizerJsonIsCopied() throws IOException {
        byte[] json = ByteLevelBpeJson.json(List.of("h e")).getBytes(StandardCharsets.UTF_8);
        try (HuggingFaceJsonTokenizer tokenizer = HuggingFaceJsonTokenizer.fromJson(json,
                HuggingFaceJsonTokenizer.SpecialTokens.ids(0, 1))) {
            LlamaConfig c = new LlamaConfig(8, 8, 1, 2, 1, tokenizer.vocabSize(), 16, 10000.0, 1e-5, true, false,
                    false);
            Path folder = dir.resolve("hf");
            HuggingFaceFormat.write(RandomWeights.of(c, 1, Optional.of(tokenizer)), folder);
            assertArrayEquals(json, Files.readAllBytes(folder.resolve("tokenizer.json")));
            Tokenizer read = HuggingFaceFormat.read(folder).tokenizer().orElseThrow();
            assertEquals(List.of(0, 1), List.of(read.bos(), read.eos()));
            assertArrayEquals(tokenizer.encode("hehe ü", true), read.encode("hehe ü", true));
            ((HuggingFaceJsonTokenizer) read).close();
        }
    }

    @Test
    void writingReplacesAnEarlierCheckpoint() throws IOException {
        Path folder = dir.resolve("again");
        HuggingFaceFormat.write(RandomWeights.of(config, 1, Optional.of(new ByteTokenizer())), folder);
        Files.writeString(folder.resolve(HuggingFaceFormat.INDEX), "{\"weight_map\": {}}");
        HuggingFaceFormat.write(weights, folder);
        ModelWeights read = HuggingFaceFormat.read(folder);
        assertEquals(weights.tensors(), read.tensors());
        assertFalse(read.tokenizer().isPresent());
    }

    @Test
    void incompleteWeightsAreNotWritten() {
        Map<String, WeightTensor> tensors = new HashMap<>(weights.tensors());
        tensors.remove(CanonicalNames.LM_HEAD);
        ModelWeights incomplete = new ModelWeights(config, tensors, Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HuggingFaceFormat.write(incomplete, dir.resolve("never")));
        assertEquals("missing tensor lm_head.weight, expected shape [32, 16]", e.getMessage());
        assertFalse(Files.exists(dir.resolve("never")));
    }

    static SentencePieceBpeTokenizer randomVocabulary(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> pieces = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<PieceType> types = new ArrayList<>(List.of(PieceType.UNKNOWN, PieceType.CONTROL, PieceType.CONTROL));
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
            types.add(PieceType.BYTE);
        }
        String alphabet = " abcé日\"\\\n";
        for (int i = 0; i < 20; i++) {
            StringBuilder piece = new StringBuilder();
            for (int k = 0; k <= random.nextInt(3); k++) {
                piece.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            pieces.add(piece.toString() + i);
            types.add(PieceType.NORMAL);
        }
        float[] scores = new float[pieces.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Float.intBitsToFloat(random.nextInt()) % 1e6f;
            if (Float.isNaN(scores[i])) {
                scores[i] = -1;
            }
        }
        return new SentencePieceBpeTokenizer(pieces, scores, types, 1, 2, 0, random.nextBoolean());
    }
}
