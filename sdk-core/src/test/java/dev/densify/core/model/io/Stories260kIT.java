package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.SentencePieceBpeTokenizer;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real stories260K files (see their README) and checks them against the published reference. */
class Stories260kIT {
    private static final int[] PROMPT_IDS = {1, 403, 407, 261, 378};
    private final Path models = TestModels.stories260K();

    @Test
    void theFilesAreTheOnesTheReadmeDescribes() throws Exception {
        assertEquals("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696",
                sha256(models.resolve("stories260K.bin")));
        assertEquals("037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312",
                sha256(models.resolve("tok512.bin")));
        assertEquals("270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
                sha256(models.resolve("stories260K-f32.gguf")));
    }

    @Test
    void ggufAndBinHoldBitIdenticalTensorsAndEqualConfigs() throws IOException {
        ModelWeights bin = Llama2cFormat.readCheckpoint(models.resolve("stories260K.bin"), Optional.empty());
        ModelWeights gguf = GgufFormat.read(models.resolve("stories260K-f32.gguf"));
        // llama.cpp's llama2.c converter records a context of 2048 where the .bin says 512; all else agrees
        assertEquals(2048, gguf.config().maxSeqLen());
        LlamaConfig c = bin.config();
        assertEquals(new LlamaConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.vocabSize(), 2048,
                c.ropeTheta(), c.normEps(), c.tiedEmbeddings(), c.ropeInterleaved(), c.attentionBias()), gguf.config());
        assertEquals(bin.tensors().keySet(), gguf.tensors().keySet());
        bin.tensors().forEach((name, tensor) -> {
            WeightTensor other = gguf.tensors().get(name);
            assertArrayEquals(tensor.shape(), other.shape(), name);
            int[] a = bits(tensor.data());
            int[] b = bits(other.data());
            assertArrayEquals(a, b, name);
        });
    }

    @Test
    void ggufTokenizerEncodesLikeTok512() throws IOException {
        SentencePieceBpeTokenizer tok512 = Llama2cFormat.readTokenizer(models.resolve("tok512.bin"));
        Tokenizer gguf = GgufFormat.read(models.resolve("stories260K-f32.gguf")).tokenizer().orElseThrow();
        assertEquals(SentencePieceBpeTokenizer.class, gguf.getClass());
        SentencePieceBpeTokenizer embedded = (SentencePieceBpeTokenizer) gguf;
        assertArrayEquals(PROMPT_IDS, gguf.encode("Once upon a time", true));
        assertEquals(tok512.types(), embedded.types());
        assertArrayEquals(tok512.scores(), embedded.scores());
        assertEquals(List.of(tok512.bos(), tok512.eos(), tok512.unk()),
                List.of(embedded.bos(), embedded.eos(), embedded.unk()));
        // the pieces differ only in how the specials are spelled ("\n<s>\n" in llama2.c, "<s>" in GGUF)
        for (int id = 3; id < tok512.vocabSize(); id++) {
            assertEquals(tok512.pieces().get(id), embedded.pieces().get(id), "piece " + id);
        }
        qt().forAll(strings().allPossible().ofLengthBetween(0, 30).map(Stories260kIT::wellFormed))
                .checkAssert(text -> assertArrayEquals(tok512.encode(text, true), gguf.encode(text, true)));
    }

    @Test
    void modelFilesReadsEachFormatWithItsTokenizerAndSavesLosslessly(@TempDir Path dir) throws IOException {
        ModelWeights bin = ModelFiles.read(models.resolve("stories260K.bin"));
        assertArrayEquals(PROMPT_IDS, bin.tokenizer().orElseThrow().encode("Once upon a time", true));
        ModelWeights gguf = ModelFiles.read(models.resolve("stories260K-f32.gguf"));
        assertArrayEquals(PROMPT_IDS, gguf.tokenizer().orElseThrow().encode("Once upon a time", true));

        ModelFiles.write(bin, dir.resolve("saved"));
        ModelWeights saved = ModelFiles.read(dir.resolve("saved"));
        assertEquals(bin.config(), saved.config());
        assertEquals(bin.tensors(), saved.tensors());
        Tokenizer tokenizer = saved.tokenizer().orElseThrow();
        assertArrayEquals(PROMPT_IDS, tokenizer.encode("Once upon a time", true));
        assertEquals("Once upon a time", tokenizer.decode(PROMPT_IDS));
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    @Test
    void binHasTheReadmesArchitecture() throws IOException {
        ModelWeights weights = Llama2cFormat.readCheckpoint(models.resolve("stories260K.bin"), Optional.empty());
        assertEquals(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, 10000.0, 1e-5, true, true, false),
                weights.config());
        CanonicalNames.requireComplete(weights.config(), weights.tensors());
        // RMSNorm weights of a trained model are not all equal and not zero: a misaligned read would show here
        float[] norm = weights.tensors().get(CanonicalNames.FINAL_NORM).data();
        assertTrue(norm[0] != norm[1] && norm[0] > 0, () -> "final norm starts " + norm[0] + ", " + norm[1]);
    }

    @Test
    void tok512EncodesTheReferencePrompt() throws IOException {
        SentencePieceBpeTokenizer tokenizer = Llama2cFormat.readTokenizer(models.resolve("tok512.bin"));
        assertEquals(512, tokenizer.vocabSize());
        assertArrayEquals(PROMPT_IDS, tokenizer.encode("Once upon a time", true));
        assertEquals("Once upon a time", tokenizer.decode(PROMPT_IDS));
    }

    @Test
    void tok512RoundTripsAnyText() throws IOException {
        Tokenizer tokenizer = Llama2cFormat.readTokenizer(models.resolve("tok512.bin"));
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40).map(Stories260kIT::wellFormed))
                .checkAssert(text -> assertEquals(text, tokenizer.decode(tokenizer.encode(text, true))));
        qt().forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 60))
                .checkAssert(text -> assertEquals(text, tokenizer.decode(tokenizer.encode(text, false))));
    }

    static String wellFormed(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
