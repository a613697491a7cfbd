package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.CanonicalNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.model.tokenizer.SentencePieceBpeTokenizer;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cFormatTest {
    @TempDir
    Path dir;

    @Test
    void tiedCheckpointReadsBackIdentically() throws IOException {
        ModelWeights weights = RandomWeights.of(RandomWeights.tiny(true), 1, Optional.empty());
        Path file = dir.resolve("tied.bin");
        Llama2cFormat.writeCheckpoint(weights, file);
        ModelWeights read = Llama2cFormat.readCheckpoint(file, Optional.empty());
        assertEquals(weights.config(), read.config());
        assertEquals(weights.tensors(), read.tensors());
        assertTrue(read.config().ropeInterleaved());
    }

    @Test
    void negativeVocabSizeMeansAnUntiedClassifierAfterTheRopeTables() throws IOException {
        ModelWeights weights = RandomWeights.of(RandomWeights.tiny(false), 2, Optional.empty());
        Path file = dir.resolve("untied.bin");
        Llama2cFormat.writeCheckpoint(weights, file);
        assertEquals(-32, ByteBuffer.wrap(Files.readAllBytes(file), 20, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        ModelWeights read = Llama2cFormat.readCheckpoint(file, Optional.empty());
        assertEquals(weights.tensors(), read.tensors());
        assertTrue(read.tensors().containsKey(CanonicalNames.LM_HEAD));
    }

    @Test
    void truncatedFileNamesTheFileAndTheTensor() throws IOException {
        Path file = dir.resolve("cut.bin");
        Llama2cFormat.writeCheckpoint(RandomWeights.of(RandomWeights.tiny(true), 3, Optional.empty()), file);
        byte[] bytes = Files.readAllBytes(file);
        // header (28) + embedding 32x16 floats + 2 attention norms of 16 floats, then 1 byte into layer 0's wq
        Files.write(file, Arrays.copyOf(bytes, 28 + 4 * (32 * 16 + 2 * 16) + 1));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(file, Optional.empty()));
        assertTrue(e.getMessage().startsWith(file + ": tensor model.layers.0.self_attn.q_proj.weight [16, 16]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesMeanADifferentLayout() throws IOException {
        Path file = dir.resolve("long.bin");
        Llama2cFormat.writeCheckpoint(RandomWeights.of(RandomWeights.tiny(true), 4, Optional.empty()), file);
        Files.write(file, new byte[8], java.nio.file.StandardOpenOption.APPEND);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(file, Optional.empty()));
        assertTrue(e.getMessage().contains("not a llama2.c version-0 checkpoint"), e.getMessage());
    }

    @Test
    void badHeaderIsReportedWithItsValues() throws IOException {
        Path file = dir.resolve("bad.bin");
        ByteBuffer header = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {64, 172, 5, 7, 4, 512, 512}) {
            header.putInt(v);
        }
        Files.write(file, header.array());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(file, Optional.empty()));
        assertTrue(e.getMessage().startsWith(file + ": bad header (dim=64"), e.getMessage());
        assertTrue(e.getMessage().contains("heads must divide dim 64, got 7"), e.getMessage());
    }

    @Test
    void versionedExportsAreRejectedByName() throws IOException {
        Path file = dir.resolve("v1.bin");
        ByteBuffer header = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN).putInt(0x616b3432).putInt(1);
        Files.write(file, header.array());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(file, Optional.empty()));
        assertTrue(e.getMessage().contains("export version 1"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.bin");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(file, Optional.empty()));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void tokenizerLargerThanTheVocabularyIsRejected() throws IOException {
        Path file = dir.resolve("small.bin");
        Llama2cFormat.writeCheckpoint(RandomWeights.of(RandomWeights.tiny(true), 5, Optional.empty()), file);
        Optional<Tokenizer> bytes = Optional.of(new ByteTokenizer());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cFormat.readCheckpoint(file, bytes));
        assertTrue(e.getMessage().contains("259 tokens but the checkpoint's vocab_size is only 32"), e.getMessage());
    }

    @Test
    void tokenizerFileRoundTrips() throws IOException {
        List<String> pieces = new java.util.ArrayList<>(List.of("<unk>", "\n<s>\n", "\n</s>\n"));
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
        }
        pieces.addAll(List.of(" ", "h", "i", "hi", " hi", "日本"));
        float[] scores = new float[pieces.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = -i * 0.5f;
        }
        List<dev.densify.core.model.tokenizer.PieceType> types = new java.util.ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            types.add(SentencePieceBpeTokenizer.llama2cType(i, pieces.get(i)));
        }
        SentencePieceBpeTokenizer tokenizer = new SentencePieceBpeTokenizer(pieces, scores, types, 1, 2, 0, true);
        Path file = dir.resolve("tok.bin");
        Llama2cFormat.writeTokenizer(tokenizer, file);
        SentencePieceBpeTokenizer read = Llama2cFormat.readTokenizer(file);
        assertEquals(tokenizer.pieces(), read.pieces());
        assertTrue(Arrays.equals(tokenizer.scores(), read.scores()));
        assertEquals(tokenizer.types(), read.types());

        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cFormat.readTokenizer(file));
        assertTrue(e.getMessage().startsWith(file + ": token " + (pieces.size() - 1) + " claims 6 bytes"),
                e.getMessage());
    }
}
