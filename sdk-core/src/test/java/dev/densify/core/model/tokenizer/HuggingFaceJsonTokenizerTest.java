package dev.densify.core.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.densify.core.model.tokenizer.HuggingFaceJsonTokenizer.SpecialTokens;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HuggingFaceJsonTokenizerTest {
    /** "Ġ" is GPT-2's symbol for the space byte. */
    private static final List<String> MERGES = List.of("h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or");
    private static final byte[] JSON = ByteLevelBpeJson.json(MERGES).getBytes(StandardCharsets.UTF_8);
    private static HuggingFaceJsonTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = HuggingFaceJsonTokenizer.fromJson(JSON, SpecialTokens.ids(0, 1));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static int byteId(char c) {
        return 2 + ByteLevelBpeJson.byteSymbols().indexOf(String.valueOf(c));
    }

    @Test
    void appliesTheMerges() {
        int hello = 2 + 256 + 3;
        int world = 2 + 256 + 6;
        assertArrayEquals(new int[] {0, hello, world, byteId('l'), byteId('d')}, tokenizer.encode("hello world", true));
        assertEquals("hello world", tokenizer.decode(new int[] {0, hello, world, byteId('l'), byteId('d'), 1}));
        assertEquals(2 + 256 + MERGES.size(), tokenizer.vocabSize());
    }

    @Test
    void roundTripsAnyText() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40).map(ByteTokenizerTest::wellFormed))
                .checkAssert(text -> assertEquals(text, tokenizer.decode(tokenizer.encode(text, true))));
    }

    @Test
    void neverTruncates() {
        String text = "hello world ".repeat(400);
        int[] ids = tokenizer.encode(text, false);
        assertTrue(ids.length > 1000, "only " + ids.length + " tokens");
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void specialTokensResolveByTextAndEosStandsInForAMissingBos() {
        SpecialTokens byText = new SpecialTokens(OptionalInt.empty(), OptionalInt.empty(), Optional.of("<s>"),
                Optional.of("</s>"));
        try (HuggingFaceJsonTokenizer t = HuggingFaceJsonTokenizer.fromJson(JSON, byText)) {
            assertEquals(List.of(0, 1), List.of(t.bos(), t.eos()));
        }
        SpecialTokens eosOnly = new SpecialTokens(OptionalInt.empty(), OptionalInt.of(1), Optional.empty(),
                Optional.empty());
        try (HuggingFaceJsonTokenizer t = HuggingFaceJsonTokenizer.fromJson(JSON, eosOnly)) {
            assertEquals(List.of(1, 1), List.of(t.bos(), t.eos()));
        }
    }

    @Test
    void unresolvableSpecialsAndBrokenJsonAreReported() {
        SpecialTokens none = new SpecialTokens(OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HuggingFaceJsonTokenizer.fromJson(JSON, none));
        assertTrue(e.getMessage().startsWith("no EOS token"), e.getMessage());
        SpecialTokens unknown = new SpecialTokens(OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.of("<eos>"));
        e = assertThrows(IllegalArgumentException.class, () -> HuggingFaceJsonTokenizer.fromJson(JSON, unknown));
        assertEquals("EOS token '<eos>' is not in the vocabulary", e.getMessage());
        byte[] noModel = "{\"version\": \"1.0\"}".getBytes(StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class,
                () -> HuggingFaceJsonTokenizer.fromJson(noModel, SpecialTokens.ids(0, 1)));
        assertEquals("tokenizer.json has no model.vocab (object or array)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
    }
}
