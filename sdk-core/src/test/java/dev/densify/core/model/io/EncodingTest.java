package dev.densify.core.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class EncodingTest {
    @Test
    void halfPrecisionDecodesKnownValues() {
        assertEquals(1.0f, Encoding.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, Encoding.halfToFloat((short) 0xC000));
        assertEquals(0.333251953125f, Encoding.halfToFloat((short) 0x3555));
        assertEquals(65504f, Encoding.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Encoding.halfToFloat((short) 0x0001));
        assertEquals(1023 * 0x1p-24f, Encoding.halfToFloat((short) 0x03FF));
        assertEquals(-0x1p-14f, Encoding.halfToFloat((short) 0x8400));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Encoding.halfToFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, Encoding.halfToFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, Encoding.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(Encoding.halfToFloat((short) 0x7E00)));
    }

    @Test
    void halfPrecisionAgreesWithFloatArithmeticForEveryNormalValue() {
        for (int exponent = 1; exponent < 31; exponent++) {
            for (int mantissa = 0; mantissa < 1024; mantissa++) {
                float expected = (float) ((1 + mantissa / 1024.0) * Math.pow(2, exponent - 15));
                assertEquals(expected, Encoding.halfToFloat((short) (exponent << 10 | mantissa)));
                assertEquals(-expected, Encoding.halfToFloat((short) (0x8000 | exponent << 10 | mantissa)));
            }
        }
    }

    @Test
    void bfloat16DecodesKnownValues() {
        assertEquals(1.0f, Encoding.bfloat16ToFloat((short) 0x3F80));
        assertEquals(3.140625f, Encoding.bfloat16ToFloat((short) 0x4049));
        assertEquals(-3.140625f, Encoding.bfloat16ToFloat((short) 0xC049));
        assertEquals(3.3895314e38f, Encoding.bfloat16ToFloat((short) 0x7F7F));
        assertEquals(Float.intBitsToFloat(1 << 16), Encoding.bfloat16ToFloat((short) 0x0001));
    }

    @Test
    void q8BlocksScaleSignedBytes() {
        ByteBuffer block = ByteBuffer.allocate(68).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[64];
        block.putShort((short) 0x3800); // 0.5
        for (int j = 0; j < 32; j++) {
            block.put((byte) (j * 8 - 128));
            expected[j] = (j * 8 - 128) * 0.5f;
        }
        block.putShort((short) 0xC000); // -2
        for (int j = 0; j < 32; j++) {
            block.put((byte) (j - 16));
            expected[32 + j] = (j - 16) * -2f;
        }
        float[] out = new float[64];
        Encoding.Q8_0.decode(block.flip(), out, 0, 2);
        assertArrayEquals(expected, out);
    }

    @Test
    void q4BlocksHoldLowNibblesFirstThenHighNibbles() {
        ByteBuffer block = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        block.putShort((short) 0x4000); // 2
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            int low = j;
            int high = 15 - j;
            block.put((byte) (high << 4 | low));
            expected[j] = (low - 8) * 2f;
            expected[j + 16] = (high - 8) * 2f;
        }
        float[] out = new float[33];
        Encoding.Q4_0.decode(block.flip(), out, 1, 1);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 1, 33));
    }
}
