package dev.densify.core.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class SentencePieceBpeTokenizerTest {
    /** Normal pieces after the specials and the 256 byte fallbacks, each with its score. */
    private static final List<String> TEXT = List.of(" ", "a", "b", "c", "ab", "bc", "abc", " a", "aa", "é", "<0x",
            "41>", " ab", "ca");
    private static final float[] TEXT_SCORES = {-9, -9, -9, -9, -1, -2, -0.5f, -3, -4, -9, -9, -9, -0.1f, -6};

    private final SentencePieceBpeTokenizer tokenizer = vocabulary(TEXT, TEXT_SCORES);

    static SentencePieceBpeTokenizer vocabulary(List<String> text, float[] textScores) {
        List<String> pieces = new ArrayList<>(List.of("<unk>", "\n<s>\n", "\n</s>\n"));
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
        }
        pieces.addAll(text);
        float[] scores = new float[pieces.size()];
        System.arraycopy(textScores, 0, scores, 259, textScores.length);
        List<PieceType> types = new ArrayList<>();
        for (int id = 0; id < pieces.size(); id++) {
            types.add(SentencePieceBpeTokenizer.llama2cType(id, pieces.get(id)));
        }
        return new SentencePieceBpeTokenizer(pieces, scores, types, 1, 2, 0, true);
    }

    private int id(String piece) {
        return tokenizer.pieces().indexOf(piece);
    }

    @Test
    void mergesTheHighestScoringPairFirst() {
        // " a b c": ab (-1) beats bc (-2) and " a" (-3); then " ab" (-0.1) beats abc (-0.5)
        assertArrayEquals(new int[] {1, id(" ab"), id("c")}, tokenizer.encode("abc", true));
    }

    @Test
    void breaksTiesToTheLeft() {
        assertArrayEquals(new int[] {id(" a"), id("aa")}, tokenizer.encode("aaa", false));
        assertArrayEquals(new int[] {id(" "), id("b"), id("aa"), id("a")}, tokenizer.encode("baaa", false));
    }

    @Test
    void spellsUnknownCharactersAsBytes() {
        int[] ids = tokenizer.encode("ü", false);
        assertArrayEquals(new int[] {id(" "), 3 + 0xC3, 3 + 0xBC}, ids);
        assertEquals("ü", tokenizer.decode(ids));
        assertArrayEquals(new int[] {id(" "), id("é")}, tokenizer.encode("é", false));
    }

    @Test
    void neverMergesIntoByteOrControlPieces() {
        int[] ids = tokenizer.encode("<0x41>", false);
        assertEquals("<0x41>", tokenizer.decode(ids));
        for (int id : ids) {
            assertEquals(true, id < 3 || id > 258 || id == 3 + '<' || id == 3 + '0' || id == 3 + 'x'
                    || id == 3 + '4' || id == 3 + '1' || id == 3 + '>', "unexpected id " + id);
        }
    }

    @Test
    void emptyTextHasNoDummyPrefix() {
        assertArrayEquals(new int[] {1}, tokenizer.encode("", true));
        assertArrayEquals(new int[0], tokenizer.encode("", false));
    }

    @Test
    void decodingDropsSpecialsAndOnlyTheDummyPrefix() {
        assertEquals("ab", tokenizer.decode(new int[] {1, id(" ab"), 2}));
        assertEquals(" ab", tokenizer.decode(new int[] {id(" "), id(" ab")}));
        assertEquals("\uFFFD", tokenizer.decode(new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {tokenizer.vocabSize()}));
    }

    @Test
    void roundTripsRandomText() {
        qt().forAll(text("abc éü日<>0x41\n\t😀"))
                .checkAssert(text -> assertEquals(text, tokenizer.decode(tokenizer.encode(text, true))));
        qt().forAll(strings().allPossible().ofLengthBetween(0, 30).map(ByteTokenizerTest::wellFormed))
                .checkAssert(text -> assertEquals(text, tokenizer.decode(tokenizer.encode(text, false))));
    }

    @Test
    void agreesWithLlama2csQuadraticEncoder() {
        qt().forAll(text("abcé ü"))
                .checkAssert(text -> assertArrayEquals(
                        Llama2cReferenceEncoder.encode(tokenizer.pieces(), tokenizer.scores(), text, true),
                        tokenizer.encode(text, true), () -> "text '" + text + "'"));
    }

    @Test
    void rejectsInconsistentVocabularies() {
        List<String> pieces = List.of("<unk>", "a");
        List<PieceType> types = List.of(PieceType.UNKNOWN, PieceType.NORMAL);
        assertThrows(IllegalArgumentException.class,
                () -> new SentencePieceBpeTokenizer(pieces, new float[1], types, 0, 0, 0, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SentencePieceBpeTokenizer(pieces, new float[2], types, 5, 0, 0, true));
        assertEquals("bos id 5 is outside the vocabulary [0, 2)", e.getMessage());
    }

    static Gen<String> text(String alphabet) {
        int[] codePoints = alphabet.codePoints().toArray();
        return lists().of(integers().between(0, codePoints.length - 1)).ofSizeBetween(0, 25).map(indices -> {
            StringBuilder s = new StringBuilder();
            indices.forEach(i -> s.appendCodePoint(codePoints[i]));
            return s.toString();
        });
    }
}
