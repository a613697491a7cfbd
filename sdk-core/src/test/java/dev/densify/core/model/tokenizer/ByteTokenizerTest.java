package dev.densify.core.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void roundTripsAnyText() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40).map(ByteTokenizerTest::wellFormed))
                .checkAssert(text -> assertEquals(text, tokenizer.decode(tokenizer.encode(text, true))));
    }

    @Test
    void oneTokenPerUtf8Byte() {
        qt().forAll(strings().betweenCodePoints(0, 0x10FFFF).ofLengthBetween(0, 20).map(ByteTokenizerTest::wellFormed))
                .checkAssert(text -> {
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    int[] ids = tokenizer.encode(text, false);
                    assertEquals(bytes.length, ids.length);
                    for (int i = 0; i < ids.length; i++) {
                        assertEquals(ByteTokenizer.FIRST_BYTE + (bytes[i] & 0xFF), ids[i]);
                    }
                });
    }

    @Test
    void bosComesFirstAndSpecialsDecodeToNothing() {
        assertArrayEquals(new int[] {ByteTokenizer.BOS, 3 + 'h', 3 + 'i'}, tokenizer.encode("hi", true));
        assertEquals("hi", tokenizer.decode(new int[] {ByteTokenizer.BOS, 3 + 'h', ByteTokenizer.PAD, 3 + 'i',
                ByteTokenizer.EOS}));
        assertEquals(259, tokenizer.vocabSize());
    }

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.decode(new int[] {259}));
        assertEquals("token id 259 is outside the byte vocabulary [0, 259)", e.getMessage());
    }

    /** Lone surrogates have no UTF-8 form; real text never holds them. */
    static String wellFormed(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .forEach(out::appendCodePoint);
        return out.toString();
    }
}
