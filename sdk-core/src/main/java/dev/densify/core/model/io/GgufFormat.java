package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import static dev.densify.core.model.CanonicalNames.layer;

import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.PieceType;
import dev.densify.core.model.tokenizer.SentencePieceBpeTokenizer;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GGUF (versions 2 and 3) checkpoints of the {@code llama} and {@code qwen2} architectures, with F32, F16, BF16,
 * Q8_0 and Q4_0 tensors (quantized ones are dequantized to float32) and the embedded SentencePiece-style
 * ({@code tokenizer.ggml.model = llama}) tokenizer.
 *
 * <p>GGUF lists dimensions fastest axis first, so a tensor stored with dims {@code [in, out]} is the row-major
 * {@code [out, in]} matrix with the same bytes. llama.cpp keeps {@code llama} Q/K rows in the interleaved rotary
 * layout and {@code qwen2} ones in rotate-half (NEOX) layout, which {@link LlamaConfig#ropeInterleaved()} records.
 * An {@code output.weight} equal to {@code token_embd.weight} is read as a tied classifier, as llama2.c's exporter
 * decides; the context length is the file's {@code context_length} (llama.cpp's llama2.c converter writes 2048).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GgufFormat {
    private static final Logger LOG = LoggerFactory.getLogger(GgufFormat.class);
    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final Pattern LAYER_TENSOR = Pattern.compile("blk\\.(\\d+)\\.(\\w+)\\.(weight|bias)");
    private static final Map<String, String> LAYER_NAMES = Map.ofEntries(
            Map.entry("attn_norm.weight", CanonicalNames.ATTENTION_NORM),
            Map.entry("attn_q.weight", CanonicalNames.Q_PROJ),
            Map.entry("attn_k.weight", CanonicalNames.K_PROJ),
            Map.entry("attn_v.weight", CanonicalNames.V_PROJ),
            Map.entry("attn_output.weight", CanonicalNames.O_PROJ),
            Map.entry("attn_q.bias", CanonicalNames.Q_BIAS),
            Map.entry("attn_k.bias", CanonicalNames.K_BIAS),
            Map.entry("attn_v.bias", CanonicalNames.V_BIAS),
            Map.entry("ffn_norm.weight", CanonicalNames.FFN_NORM),
            Map.entry("ffn_gate.weight", CanonicalNames.GATE_PROJ),
            Map.entry("ffn_up.weight", CanonicalNames.UP_PROJ),
            Map.entry("ffn_down.weight", CanonicalNames.DOWN_PROJ));
    private static final Map<String, String> GLOBAL_NAMES = Map.of(
            "token_embd.weight", CanonicalNames.EMBED_TOKENS,
            "output_norm.weight", CanonicalNames.FINAL_NORM,
            "output.weight", CanonicalNames.LM_HEAD);
    private static final Map<String, Boolean> ROPE_INTERLEAVED = Map.of("llama", true, "qwen2", false);

    private GgufFormat() {}

    /** Tensor directory entry: GGUF name, row-major shape, ggml type and offset from the data section. */
    private record TensorInfo(String name, long[] shape, int ggmlType, long offset) {}

    /** The parsed header: metadata values (Long, Float, Double, Boolean, String or List) and the tensor directory. */
    private record Header(Map<String, Object> metadata, List<TensorInfo> tensors, long dataStart) {}

    /** Reads the weights and, when the file has a supported one, the tokenizer. */
    public static ModelWeights read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (MappedFile in = MappedFile.open(file)) {
            Header header = readHeader(in);
            Map<String, TensorInfo> byCanonicalName = new LinkedHashMap<>();
            for (TensorInfo info : header.tensors()) {
                String canonical = canonicalName(info.name());
                if (canonical == null) {
                    LOG.warn("{}: ignoring tensor {} that the Llama architecture does not use", file, info.name());
                } else {
                    byCanonicalName.put(canonical, info);
                }
            }
            LlamaConfig config = config(file, header.metadata(), byCanonicalName);
            WeightChecks.requirePlausible(file, config, header.metadata().get("general.architecture") + ".block_count",
                    byCanonicalName.keySet());
            Map<String, WeightTensor> tensors = new HashMap<>();
            for (Map.Entry<String, long[]> expected : CanonicalNames.expectedShapes(config).entrySet()) {
                String name = expected.getKey();
                TensorInfo info = byCanonicalName.get(name);
                if (info == null) {
                    throw new ModelFormatException(file, "missing tensor " + ggufName(name) + " (" + name
                            + "), expected shape " + Arrays.toString(expected.getValue()));
                }
                if (!Arrays.equals(info.shape(), expected.getValue())) {
                    throw new ModelFormatException(file, "tensor " + info.name() + " has shape "
                            + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(expected.getValue())
                            + " for " + config);
                }
                WeightTensor stored = in.tensor(info.name(), info.shape(), header.dataStart() + info.offset(),
                        encoding(file, info));
                tensors.put(name, new WeightTensor(name, stored.shape(), stored.data()));
            }
            WeightChecks.requireFinite(file, tensors);
            if (!config.tiedEmbeddings() && Arrays.equals(tensors.get(CanonicalNames.LM_HEAD).data(),
                    tensors.get(CanonicalNames.EMBED_TOKENS).data())) {
                // converters (llama.cpp's from llama2.c among them) store a tied classifier as a copy
                tensors.remove(CanonicalNames.LM_HEAD);
                config = tied(config);
            }
            Optional<Tokenizer> tokenizer = tokenizer(file, header.metadata());
            if (tokenizer.isPresent() && tokenizer.get().vocabSize() > config.vocabSize()) {
                throw new ModelFormatException(file, "the tokenizer has " + tokenizer.get().vocabSize()
                        + " tokens but the model's vocabulary only " + config.vocabSize());
            }
            return new ModelWeights(config, tensors, tokenizer);
        }
    }

    /** Whether the file starts with the GGUF magic. */
    static boolean isGguf(Path file) throws IOException {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && ByteBuffer.wrap(magic).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() == MAGIC;
        }
    }

    /**
     * The file's {@code tokenizer.chat_template}, with the texts of BOS and EOS and of every CONTROL token (the
     * special tokens a template writes), or empty when the file has no template.
     */
    static Optional<ChatTemplate> chatTemplate(Path file) throws IOException {
        try (MappedFile in = MappedFile.open(file)) {
            Map<String, Object> metadata = readHeader(in).metadata();
            if (!metadata.containsKey("tokenizer.chat_template")) {
                return Optional.empty();
            }
            String source = string(file, metadata, "tokenizer.chat_template");
            Map<String, Integer> specials = new LinkedHashMap<>();
            Optional<String> bos = Optional.empty();
            Optional<String> eos = Optional.empty();
            if (metadata.containsKey("tokenizer.ggml.tokens")) {
                List<?> tokens = list(file, metadata, "tokenizer.ggml.tokens");
                List<?> types = metadata.containsKey("tokenizer.ggml.token_type")
                        ? list(file, metadata, "tokenizer.ggml.token_type") : List.of();
                for (int i = 0; i < types.size() && i < tokens.size(); i++) {
                    if (types.get(i) instanceof Number code && code.intValue() == PieceType.CONTROL.ggufCode()
                            && tokens.get(i) instanceof String text && !text.isEmpty()) {
                        specials.put(text, i);
                    }
                }
                bos = tokenText(file, metadata, tokens, "tokenizer.ggml.bos_token_id");
                eos = tokenText(file, metadata, tokens, "tokenizer.ggml.eos_token_id");
            }
            return Optional.of(new ChatTemplate(source, file, bos, eos, specials));
        }
    }

    private static Optional<String> tokenText(Path file, Map<String, Object> metadata, List<?> tokens, String key)
            throws ModelFormatException {
        if (!metadata.containsKey(key)) {
            return Optional.empty();
        }
        int id = intValue(file, metadata, key);
        if (id >= tokens.size() || !(tokens.get(id) instanceof String text)) {
            throw new ModelFormatException(file, "metadata " + key + " is " + id + ", outside the "
                    + tokens.size() + " tokens of tokenizer.ggml.tokens");
        }
        return Optional.of(text);
    }

    private static Header readHeader(MappedFile in) throws IOException {
        Path file = in.path();
        ByteBuffer buffer = in.bytes(0, Math.min(in.size(), Integer.MAX_VALUE), "the GGUF header");
        Cursor cursor = new Cursor(file, buffer);
        cursor.context = "the magic number";
        int magic = cursor.u32();
        if (magic != MAGIC) {
            throw new ModelFormatException(file, "bad magic 0x" + Integer.toHexString(magic)
                    + ", expected the bytes 'GGUF' of a GGUF file");
        }
        cursor.context = "the version";
        int version = cursor.u32();
        if (version != 2 && version != 3) {
            throw new ModelFormatException(file, "GGUF version " + Integer.toUnsignedString(version)
                    + " is not supported, expected 2 or 3");
        }
        cursor.context = "the tensor count";
        long tensorCount = cursor.count();
        cursor.context = "the metadata count";
        long metadataCount = cursor.count();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < metadataCount; i++) {
            cursor.context = "metadata entry " + i;
            String key = cursor.string();
            cursor.context = "metadata " + key;
            metadata.put(key, cursor.value(cursor.u32()));
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            cursor.context = "tensor info " + i;
            String name = cursor.string();
            cursor.context = "tensor info " + name;
            int dims = cursor.u32();
            if (dims < 1 || dims > 4) {
                throw new ModelFormatException(file, "tensor " + name + " has " + dims + " dimensions, expected 1..4");
            }
            long[] shape = new long[dims];
            for (int d = 0; d < dims; d++) {
                shape[dims - 1 - d] = cursor.count();
            }
            tensors.add(new TensorInfo(name, shape, cursor.u32(), cursor.count()));
        }
        long alignment = metadata.containsKey("general.alignment")
                ? integer(file, metadata, "general.alignment") : 32;
        if (alignment <= 0) {
            throw new ModelFormatException(file, "general.alignment is " + alignment + ", expected a positive number");
        }
        long position = cursor.position();
        long dataStart = (position + alignment - 1) / alignment * alignment;
        return new Header(metadata, tensors, dataStart);
    }

    /** Sequential little-endian reads of the header, reporting where a short or absurd read happened. */
    private static final class Cursor {
        private final Path file;
        private final ByteBuffer buffer;
        private String context = "";

        Cursor(Path file, ByteBuffer buffer) {
            this.file = file;
            this.buffer = buffer;
        }

        long position() {
            return buffer.position();
        }

        int u32() throws ModelFormatException {
            require(4);
            return buffer.getInt();
        }

        /** A uint64 count, length or offset; larger than the file means corruption, not a real size. */
        long count() throws ModelFormatException {
            require(8);
            long value = buffer.getLong();
            if (value < 0) {
                throw new ModelFormatException(file, context + " holds the impossible size "
                        + Long.toUnsignedString(value));
            }
            return value;
        }

        String string() throws ModelFormatException {
            long length = count();
            require(length);
            byte[] bytes = new byte[(int) length];
            buffer.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Object value(int type) throws ModelFormatException {
            try {
                return switch (type) {
                    case 0 -> (long) (buffer.get() & 0xFF);
                    case 1 -> (long) buffer.get();
                    case 2 -> (long) (buffer.getShort() & 0xFFFF);
                    case 3 -> (long) buffer.getShort();
                    case 4 -> buffer.getInt() & 0xFFFFFFFFL;
                    case 5 -> (long) buffer.getInt();
                    case 6 -> buffer.getFloat();
                    case 7 -> buffer.get() != 0;
                    case 8 -> string();
                    case 9 -> array();
                    case 10, 11 -> buffer.getLong();
                    case 12 -> buffer.getDouble();
                    default -> throw new ModelFormatException(file, context + " has unknown value type " + type
                            + ", expected 0..12");
                };
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        private List<Object> array() throws ModelFormatException {
            int elementType = u32();
            long length = count();
            require(length); // every element takes at least one byte
            List<Object> values = new ArrayList<>((int) length);
            for (long i = 0; i < length; i++) {
                values.add(value(elementType));
            }
            return values;
        }

        private void require(long bytes) throws ModelFormatException {
            if (bytes > buffer.remaining()) {
                throw truncated();
            }
        }

        private ModelFormatException truncated() {
            return new ModelFormatException(file, "the header ends inside " + context + " at byte "
                    + buffer.position() + " of " + buffer.limit() + " (truncated file?)");
        }
    }

    private static String canonicalName(String ggufName) {
        String global = GLOBAL_NAMES.get(ggufName);
        if (global != null) {
            return global;
        }
        Matcher m = LAYER_TENSOR.matcher(ggufName);
        if (!m.matches()) {
            return null;
        }
        String suffix = m.group(2) + "." + m.group(3);
        String canonical = LAYER_NAMES.get(suffix);
        return canonical == null ? null : layer(Integer.parseInt(m.group(1)), canonical);
    }

    /** The GGUF name of a canonical tensor, for messages about tensors that are not in the file. */
    private static String ggufName(String canonical) {
        for (Map.Entry<String, String> e : GLOBAL_NAMES.entrySet()) {
            if (e.getValue().equals(canonical)) {
                return e.getKey();
            }
        }
        Matcher m = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)").matcher(canonical);
        if (m.matches()) {
            for (Map.Entry<String, String> e : LAYER_NAMES.entrySet()) {
                if (e.getValue().equals(m.group(2))) {
                    return "blk." + m.group(1) + "." + e.getKey();
                }
            }
        }
        return canonical;
    }

    private static Encoding encoding(Path file, TensorInfo info) throws ModelFormatException {
        return switch (info.ggmlType()) {
            case 0 -> Encoding.F32;
            case 1 -> Encoding.F16;
            case 2 -> Encoding.Q4_0;
            case 8 -> Encoding.Q8_0;
            case 30 -> Encoding.BF16;
            default -> throw new ModelFormatException(file, "tensor " + info.name() + " has ggml type "
                    + info.ggmlType() + ", expected one of F32 (0), F16 (1), Q4_0 (2), Q8_0 (8), BF16 (30)");
        };
    }

    private static LlamaConfig config(Path file, Map<String, Object> metadata, Map<String, TensorInfo> tensors)
            throws ModelFormatException {
        String architecture = string(file, metadata, "general.architecture");
        Boolean interleaved = ROPE_INTERLEAVED.get(architecture);
        if (interleaved == null) {
            throw new ModelFormatException(file, "general.architecture is '" + architecture + "', expected one of "
                    + ROPE_INTERLEAVED.keySet());
        }
        String p = architecture + ".";
        int dim = intValue(file, metadata, p + "embedding_length");
        int heads = intValue(file, metadata, p + "attention.head_count");
        int kvHeads = metadata.containsKey(p + "attention.head_count_kv")
                ? intValue(file, metadata, p + "attention.head_count_kv") : heads;
        if (heads > 0 && dim % heads == 0) {
            int headSize = dim / heads;
            for (String key : List.of(p + "rope.dimension_count", p + "attention.key_length",
                    p + "attention.value_length")) {
                if (metadata.containsKey(key) && intValue(file, metadata, key) != headSize) {
                    throw new ModelFormatException(file, key + " is " + intValue(file, metadata, key)
                            + ", expected the head size embedding_length/head_count = " + headSize
                            + " (partial rotary and separate head sizes are not supported)");
                }
            }
        }
        TensorInfo embedding = tensors.get(CanonicalNames.EMBED_TOKENS);
        int vocab;
        if (metadata.containsKey(p + "vocab_size")) {
            vocab = intValue(file, metadata, p + "vocab_size");
        } else if (embedding != null) {
            vocab = (int) embedding.shape()[0];
        } else {
            throw new ModelFormatException(file, "missing tensor token_embd.weight (" + CanonicalNames.EMBED_TOKENS
                    + ")");
        }
        double theta = metadata.containsKey(p + "rope.freq_base") ? number(file, metadata, p + "rope.freq_base")
                : 10000.0;
        double eps = number(file, metadata, p + "attention.layer_norm_rms_epsilon");
        boolean tied = !tensors.containsKey(CanonicalNames.LM_HEAD);
        boolean bias = tensors.containsKey(layer(0, CanonicalNames.Q_BIAS));
        try {
            return new LlamaConfig(dim, intValue(file, metadata, p + "feed_forward_length"),
                    intValue(file, metadata, p + "block_count"), heads, kvHeads, vocab,
                    intValue(file, metadata, p + "context_length"), theta, eps, tied, interleaved, bias);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "inconsistent " + architecture + " metadata: " + e.getMessage(), e);
        }
    }

    private static LlamaConfig tied(LlamaConfig c) {
        return new LlamaConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.vocabSize(), c.maxSeqLen(),
                c.ropeTheta(), c.normEps(), true, c.ropeInterleaved(), c.attentionBias());
    }

    private static Optional<Tokenizer> tokenizer(Path file, Map<String, Object> metadata)
            throws ModelFormatException {
        if (!metadata.containsKey("tokenizer.ggml.model")) {
            return Optional.empty();
        }
        String model = string(file, metadata, "tokenizer.ggml.model");
        if (!model.equals("llama")) {
            LOG.warn("{}: tokenizer model '{}' is not supported (only 'llama', SentencePiece-style); pass a tokenizer"
                    + " explicitly", file, model);
            return Optional.empty();
        }
        List<?> tokens = list(file, metadata, "tokenizer.ggml.tokens");
        List<?> scores = metadata.containsKey("tokenizer.ggml.scores")
                ? list(file, metadata, "tokenizer.ggml.scores") : null;
        List<?> types = metadata.containsKey("tokenizer.ggml.token_type")
                ? list(file, metadata, "tokenizer.ggml.token_type") : null;
        int n = tokens.size();
        if ((scores != null && scores.size() != n) || (types != null && types.size() != n)) {
            throw new ModelFormatException(file, "tokenizer.ggml.tokens has " + n + " entries but scores has "
                    + (scores == null ? "none" : scores.size()) + " and token_type " + (types == null ? "none"
                    : types.size()) + "; expected as many");
        }
        List<String> pieces = new ArrayList<>(n);
        float[] scoreArray = new float[n];
        List<PieceType> typeList = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!(tokens.get(i) instanceof String token)) {
                throw new ModelFormatException(file, "tokenizer.ggml.tokens[" + i + "] is not a string");
            }
            pieces.add(token.replace('\u2581', ' '));
            try {
                scoreArray[i] = scores == null ? 0f : ((Number) scores.get(i)).floatValue();
                typeList.add(types == null ? PieceType.NORMAL
                        : PieceType.fromGgufCode(((Number) types.get(i)).intValue()));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new ModelFormatException(file, "tokenizer.ggml.scores/token_type[" + i + "]: expected a number"
                        + " and a type code: " + e.getMessage(), e);
            }
        }
        boolean prefix = !metadata.containsKey("tokenizer.ggml.add_space_prefix")
                || Boolean.TRUE.equals(metadata.get("tokenizer.ggml.add_space_prefix"));
        try {
            return Optional.of(new SentencePieceBpeTokenizer(pieces, scoreArray, typeList,
                    intValue(file, metadata, "tokenizer.ggml.bos_token_id"),
                    intValue(file, metadata, "tokenizer.ggml.eos_token_id"),
                    metadata.containsKey("tokenizer.ggml.unknown_token_id")
                            ? intValue(file, metadata, "tokenizer.ggml.unknown_token_id") : 0, prefix));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "bad tokenizer: " + e.getMessage(), e);
        }
    }

    private static Object required(Path file, Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = metadata.get(key);
        if (value == null) {
            throw new ModelFormatException(file, "missing metadata key " + key);
        }
        return value;
    }

    private static long integer(Path file, Map<String, Object> metadata, String key) throws ModelFormatException {
        if (required(file, metadata, key) instanceof Long value) {
            return value;
        }
        throw new ModelFormatException(file, "metadata " + key + " is " + metadata.get(key) + ", expected an integer");
    }

    private static int intValue(Path file, Map<String, Object> metadata, String key) throws ModelFormatException {
        long value = integer(file, metadata, key);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new ModelFormatException(file, "metadata " + key + " is " + value + ", expected 0.."
                    + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    private static double number(Path file, Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = required(file, metadata, key);
        if (value instanceof Float single) {
            // the decimal the writer meant: a float32 1e-5 reads as 1e-5, not 9.99999974737875e-6
            return Double.parseDouble(single.toString());
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new ModelFormatException(file, "metadata " + key + " is " + metadata.get(key) + ", expected a number");
    }

    private static String string(Path file, Map<String, Object> metadata, String key) throws ModelFormatException {
        if (required(file, metadata, key) instanceof String value) {
            return value;
        }
        throw new ModelFormatException(file, "metadata " + key + " is not a string");
    }

    private static List<?> list(Path file, Map<String, Object> metadata, String key) throws ModelFormatException {
        if (required(file, metadata, key) instanceof List<?> value) {
            return value;
        }
        throw new ModelFormatException(file, "metadata " + key + " is not an array");
    }
}
