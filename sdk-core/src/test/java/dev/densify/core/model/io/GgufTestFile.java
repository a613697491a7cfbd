package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.LlamaConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds GGUF files byte by byte, so tests control every field, including broken ones. */
final class GgufTestFile {
    static final int F32 = 0;
    static final int F16 = 1;
    static final int Q4_0 = 2;
    static final int Q8_0 = 8;
    static final int BF16 = 30;

    private record Tensor(String name, long[] shape, int type, byte[] data) {}

    private final ByteArrayOutputStream metadata = new ByteArrayOutputStream();
    private int metadataCount;
    private final List<Tensor> tensors = new ArrayList<>();

    GgufTestFile u32(String key, long value) {
        entry(key, 4).writeBytes(le(4).putInt((int) value).bytes());
        return this;
    }

    GgufTestFile f32(String key, float value) {
        entry(key, 6).writeBytes(le(4).putFloat(value).bytes());
        return this;
    }

    GgufTestFile bool(String key, boolean value) {
        entry(key, 7).write(new byte[] {(byte) (value ? 1 : 0)}, 0, 1);
        return this;
    }

    GgufTestFile string(String key, String value) {
        writeString(entry(key, 8), value);
        return this;
    }

    GgufTestFile strings(String key, List<String> values) {
        ByteArrayOutputStream out = array(key, 8, values.size());
        values.forEach(v -> writeString(out, v));
        return this;
    }

    GgufTestFile floats(String key, float[] values) {
        ByteArrayOutputStream out = array(key, 6, values.length);
        for (float v : values) {
            out.writeBytes(le(4).putFloat(v).bytes());
        }
        return this;
    }

    GgufTestFile ints(String key, int[] values) {
        ByteArrayOutputStream out = array(key, 5, values.length);
        for (int v : values) {
            out.writeBytes(le(4).putInt(v).bytes());
        }
        return this;
    }

    /** A tensor given in row-major shape; GGUF stores the dimensions reversed. */
    GgufTestFile tensor(String name, long[] shape, int type, byte[] data) {
        tensors.add(new Tensor(name, shape, type, data));
        return this;
    }

    GgufTestFile f32Tensor(String name, long[] shape, float[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            buffer.putFloat(v);
        }
        return tensor(name, shape, F32, buffer.array());
    }

    byte[] bytes() {
        return bytes(3);
    }

    byte[] bytes(int version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(4).put("GGUF".getBytes(StandardCharsets.US_ASCII)).bytes());
        out.writeBytes(le(4).putInt(version).bytes());
        out.writeBytes(le(8).putLong(tensors.size()).bytes());
        out.writeBytes(le(8).putLong(metadataCount).bytes());
        out.writeBytes(metadata.toByteArray());
        long offset = 0;
        for (Tensor t : tensors) {
            writeString(out, t.name());
            out.writeBytes(le(4).putInt(t.shape().length).bytes());
            for (int d = t.shape().length - 1; d >= 0; d--) {
                out.writeBytes(le(8).putLong(t.shape()[d]).bytes());
            }
            out.writeBytes(le(4).putInt(t.type()).bytes());
            out.writeBytes(le(8).putLong(offset).bytes());
            offset = align(offset + t.data().length);
        }
        pad(out);
        for (Tensor t : tensors) {
            out.writeBytes(t.data());
            pad(out);
        }
        return out.toByteArray();
    }

    /** A complete file of architecture {@code arch} holding {@code weights} in F32 under GGUF's names. */
    static GgufTestFile of(String arch, ModelWeights weights) {
        GgufTestFile file = metadata(arch, weights.config());
        weights.tensors().values().stream().sorted(java.util.Comparator.comparing(WeightTensor::name))
                .forEach(t -> file.f32Tensor(GGUF_NAME.apply(t.name()), t.shape(), t.data()));
        return file;
    }

    /** The architecture metadata of {@code c}, no tensors. */
    static GgufTestFile metadata(String arch, LlamaConfig c) {
        String p = arch + ".";
        return new GgufTestFile()
                .string("general.architecture", arch)
                .u32(p + "context_length", c.maxSeqLen())
                .u32(p + "embedding_length", c.dim())
                .u32(p + "feed_forward_length", c.hiddenDim())
                .u32(p + "attention.head_count", c.heads())
                .u32(p + "attention.head_count_kv", c.kvHeads())
                .u32(p + "block_count", c.layers())
                .f32(p + "rope.freq_base", (float) c.ropeTheta())
                .f32(p + "attention.layer_norm_rms_epsilon", (float) c.normEps());
    }

    static final Map<String, String> LAYER_SUFFIXES = Map.ofEntries(
            Map.entry("input_layernorm.weight", "attn_norm.weight"),
            Map.entry("self_attn.q_proj.weight", "attn_q.weight"),
            Map.entry("self_attn.k_proj.weight", "attn_k.weight"),
            Map.entry("self_attn.v_proj.weight", "attn_v.weight"),
            Map.entry("self_attn.o_proj.weight", "attn_output.weight"),
            Map.entry("self_attn.q_proj.bias", "attn_q.bias"),
            Map.entry("self_attn.k_proj.bias", "attn_k.bias"),
            Map.entry("self_attn.v_proj.bias", "attn_v.bias"),
            Map.entry("post_attention_layernorm.weight", "ffn_norm.weight"),
            Map.entry("mlp.gate_proj.weight", "ffn_gate.weight"),
            Map.entry("mlp.up_proj.weight", "ffn_up.weight"),
            Map.entry("mlp.down_proj.weight", "ffn_down.weight"));

    static final Function<String, String> GGUF_NAME = name -> switch (name) {
        case "model.embed_tokens.weight" -> "token_embd.weight";
        case "model.norm.weight" -> "output_norm.weight";
        case "lm_head.weight" -> "output.weight";
        default -> {
            String[] parts = name.split("\\.", 4);
            yield "blk." + parts[2] + "." + LAYER_SUFFIXES.get(parts[3]);
        }
    };

    private ByteArrayOutputStream entry(String key, int type) {
        metadataCount++;
        writeString(metadata, key);
        metadata.writeBytes(le(4).putInt(type).bytes());
        return metadata;
    }

    private ByteArrayOutputStream array(String key, int elementType, int length) {
        entry(key, 9).writeBytes(le(4).putInt(elementType).bytes());
        metadata.writeBytes(le(8).putLong(length).bytes());
        return metadata;
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(le(8).putLong(bytes.length).bytes());
        out.writeBytes(bytes);
    }

    private static long align(long offset) {
        return (offset + 31) / 32 * 32;
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 32 != 0) {
            out.write(0);
        }
    }

    private static Le le(int size) {
        return new Le(ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** A little-endian buffer that the output stream takes whole. */
    private record Le(ByteBuffer buffer) {
        Le putInt(int v) {
            buffer.putInt(v);
            return this;
        }

        Le putLong(long v) {
            buffer.putLong(v);
            return this;
        }

        Le putFloat(float v) {
            buffer.putFloat(v);
            return this;
        }

        Le put(byte[] v) {
            buffer.put(v);
            return this;
        }

        byte[] bytes() {
            return buffer.array();
        }
    }
}
