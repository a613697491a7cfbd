package dev.densify.core.model.io;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/** How a tensor's elements are stored on disk; every encoding decodes to float32. Buffers are little-endian. */
enum Encoding {
    F32(1, 4) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int blocks) {
            FloatBuffer floats = src.asFloatBuffer();
            floats.get(dst, offset, blocks);
        }
    },
    F16(1, 2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int blocks) {
            ShortBuffer halves = src.asShortBuffer();
            for (int i = 0; i < blocks; i++) {
                dst[offset + i] = halfToFloat(halves.get(i));
            }
        }
    },
    BF16(1, 2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int blocks) {
            ShortBuffer halves = src.asShortBuffer();
            for (int i = 0; i < blocks; i++) {
                dst[offset + i] = bfloat16ToFloat(halves.get(i));
            }
        }
    },
    /** ggml blocks of 32: an f16 scale and 32 signed bytes. */
    Q8_0(32, 34) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int blocks) {
            for (int b = 0; b < blocks; b++) {
                int base = b * 34;
                float scale = halfToFloat(src.getShort(base));
                for (int j = 0; j < 32; j++) {
                    dst[offset + b * 32 + j] = src.get(base + 2 + j) * scale;
                }
            }
        }
    },
    /** ggml blocks of 32: an f16 scale and 16 bytes of 4-bit values (low nibbles first half, high second), offset 8. */
    Q4_0(32, 18) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int blocks) {
            for (int b = 0; b < blocks; b++) {
                int base = b * 18;
                float scale = halfToFloat(src.getShort(base));
                int out = offset + b * 32;
                for (int j = 0; j < 16; j++) {
                    int packed = src.get(base + 2 + j) & 0xFF;
                    dst[out + j] = ((packed & 0x0F) - 8) * scale;
                    dst[out + j + 16] = ((packed >>> 4) - 8) * scale;
                }
            }
        }
    };

    final int blockElements;
    final int blockBytes;

    Encoding(int blockElements, int blockBytes) {
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
    }

    /** Decodes {@code blocks} blocks from the start of {@code src} into {@code dst} from {@code offset}. */
    abstract void decode(ByteBuffer src, float[] dst, int offset, int blocks);

    /** IEEE 754 binary16 to float32, exactly (every half is a float). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a float32. */
    static float bfloat16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
