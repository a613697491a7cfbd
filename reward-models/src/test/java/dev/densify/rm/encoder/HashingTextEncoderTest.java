package dev.densify.rm.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.junit.jupiter.api.Test;

class HashingTextEncoderTest {
    private final HashingTextEncoder encoder = new HashingTextEncoder(64);

    @Test
    void vectorsAreUnitLengthAndDependOnTheTextAlone() {
        qt().withExamples(200).forAll(strings().basicLatinAlphabet().ofLengthBetween(1, 60),
                        strings().basicLatinAlphabet().ofLengthBetween(0, 60))
                .checkAssert((text, other) -> {
                    float[] alone = encoder.encode(List.of(text))[0];
                    float[] inBatch = encoder.encode(List.of(other, text))[1];
                    assertArrayEquals(alone, inBatch);
                    double norm = 0;
                    for (float v : alone) {
                        norm += v * v;
                    }
                    boolean hasWord = text.chars().anyMatch(Character::isLetterOrDigit);
                    assertEquals(hasWord ? 1 : 0, norm, 1e-5);
                });
    }

    @Test
    void wordsMatterAndCaseDoesNot() {
        float[][] v = encoder.encode(List.of("open the door", "OPEN THE DOOR", "close the door"));
        assertArrayEquals(v[0], v[1]);
        assertFalse(java.util.Arrays.equals(v[0], v[2]));
        assertEquals(64, v[0].length);
    }
}
