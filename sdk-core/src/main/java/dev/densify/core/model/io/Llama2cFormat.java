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
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * llama2.c's files: the legacy (version 0) checkpoint {@code .bin} and the tokenizer {@code .bin}.
 *
 * <p>Checkpoint: seven little-endian int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
 * a negative vocab_size marks an untied classifier), then float32 tensors grouped by kind across layers, the
 * unused RoPE tables, and the classifier when untied. llama2.c rotates adjacent pairs, so the weights are
 * {@link LlamaConfig#ropeInterleaved() interleaved}; it fixes RoPE theta at 10000 and RMSNorm epsilon at 1e-5.
 *
 * <p>Tokenizer: int32 max_token_length, then per token a float32 score, an int32 byte length and the UTF-8
 * bytes, until the end of the file. Ids 0, 1, 2 are unknown, BOS and EOS; {@code <0xNN>} pieces are byte fallbacks.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Llama2cFormat {
    private static final int HEADER_BYTES = 7 * Integer.BYTES;
    /** The magic "ak42" of llama2.c's later export versions, which this reader does not support. */
    private static final int VERSIONED_MAGIC = 0x616b3432;

    private Llama2cFormat() {}

    /** The architecture in a checkpoint's header, without reading its weights. */
    static LlamaConfig readConfig(Path file) throws IOException {
        try (MappedFile in = MappedFile.open(file)) {
            return readHeader(in);
        }
    }

    /** Reads a version-0 checkpoint; the tokenizer, when given, travels with the weights. */
    public static ModelWeights readCheckpoint(Path file, Optional<Tokenizer> tokenizer) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tokenizer, "tokenizer");
        try (MappedFile in = MappedFile.open(file)) {
            LlamaConfig config = readHeader(in);
            if (tokenizer.isPresent() && tokenizer.get().vocabSize() > config.vocabSize()) {
                throw new ModelFormatException(file, "the tokenizer has " + tokenizer.get().vocabSize()
                        + " tokens but the checkpoint's vocab_size is only " + config.vocabSize());
            }
            // The file's size is what the header is checked against: nothing is allocated for a size that the
            // bytes present cannot hold.
            if (expectedBytes(config) > in.size()) {
                throw new ModelFormatException(file, firstMissing(config, in.size()));
            }
            WeightChecks.requireFitsInMemory(file, config);
            Map<String, long[]> shapes = CanonicalNames.expectedShapes(config);
            Map<String, WeightTensor> tensors = new HashMap<>();
            long offset = HEADER_BYTES;
            for (String name : storageOrder(config)) {
                WeightTensor tensor = in.tensor(name, shapes.get(name), offset, Encoding.F32);
                tensors.put(name, tensor);
                offset += 4L * tensor.data().length;
            }
            offset += 4L * config.maxSeqLen() * config.headSize();
            if (!config.tiedEmbeddings()) {
                WeightTensor head = in.tensor(CanonicalNames.LM_HEAD, shapes.get(CanonicalNames.LM_HEAD), offset,
                        Encoding.F32);
                tensors.put(head.name(), head);
                offset += 4L * head.data().length;
            } else if (offset > in.size()) {
                throw new ModelFormatException(file, "the RoPE tables after model.norm.weight need bytes up to "
                        + offset + " but the file has " + in.size() + " bytes (truncated file?)");
            }
            if (offset != in.size()) {
                throw new ModelFormatException(file, "expected " + offset + " bytes for " + config + " but the file"
                        + " has " + in.size() + ": not a llama2.c version-0 checkpoint of this shape");
            }
            WeightChecks.requireFinite(file, tensors);
            return new ModelWeights(config, tensors, tokenizer);
        }
    }

    /**
     * Names the first tensor that a file of {@code size} bytes cannot hold, found by arithmetic over the storage
     * order's blocks (one per kind of tensor), so that a header claiming a billion layers costs no loop over them.
     */
    private static String firstMissing(LlamaConfig c, long size) {
        long dim = c.dim();
        long kv = c.kvDim();
        long hidden = c.hiddenDim();
        List<String> kinds = List.of(CanonicalNames.ATTENTION_NORM, CanonicalNames.Q_PROJ, CanonicalNames.K_PROJ,
                CanonicalNames.V_PROJ, CanonicalNames.O_PROJ, CanonicalNames.FFN_NORM, CanonicalNames.GATE_PROJ,
                CanonicalNames.DOWN_PROJ, CanonicalNames.UP_PROJ);
        List<long[]> shapes = List.of(new long[] {dim}, new long[] {dim, dim}, new long[] {kv, dim},
                new long[] {kv, dim}, new long[] {dim, dim}, new long[] {dim}, new long[] {hidden, dim},
                new long[] {dim, hidden}, new long[] {hidden, dim});
        long offset = HEADER_BYTES;
        long embedding = 4 * c.vocabSize() * dim;
        if (offset + embedding > size) {
            return missing(CanonicalNames.EMBED_TOKENS, new long[] {c.vocabSize(), dim}, offset, embedding, size);
        }
        offset += embedding;
        for (int k = 0; k < kinds.size(); k++) {
            long bytes = 4 * java.util.Arrays.stream(shapes.get(k)).reduce(1, (a, b) -> a * b);
            long layers = (size - offset) / bytes;
            if (layers < c.layers()) {
                long at = offset + layers * bytes;
                return missing(layer((int) layers, kinds.get(k)), shapes.get(k), at, bytes, size);
            }
            offset += bytes * c.layers();
        }
        return "the header (" + c + ") implies more bytes (final norm, RoPE tables" + (c.tiedEmbeddings() ? ""
                : ", classifier") + ") than the file's " + size + " (truncated file?)";
    }

    private static String missing(String name, long[] shape, long offset, long bytes, long size) {
        return "tensor " + name + " " + java.util.Arrays.toString(shape) + " (F32) needs bytes [" + offset + ", "
                + (offset + bytes) + ") but the file has " + size + " bytes (truncated file, or a header that claims"
                + " more than the file holds?)";
    }

    /** The size of a version-0 file of this shape: header, weights, RoPE tables; saturating, never overflowing. */
    private static long expectedBytes(LlamaConfig config) {
        try {
            long floats = WeightChecks.parameters(config);
            floats = Math.addExact(floats, Math.multiplyExact((long) config.maxSeqLen(), config.headSize()));
            return Math.addExact(HEADER_BYTES, Math.multiplyExact(4L, floats));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static LlamaConfig readHeader(MappedFile in) throws IOException {
        ByteBuffer header = in.bytes(0, HEADER_BYTES, "the 7-int header");
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = header.getInt(4 * i);
        }
        if (h[0] == VERSIONED_MAGIC) {
            throw new ModelFormatException(in.path(), "llama2.c export version " + h[1] + " (magic ak42) is not "
                    + "supported; export with --version 0 (the legacy float32 layout)");
        }
        int vocab = h[5];
        try {
            if (vocab == Integer.MIN_VALUE) {
                throw new IllegalArgumentException("vocab_size " + vocab + " is out of range");
            }
            return new LlamaConfig(h[0], h[1], h[2], h[3], h[4], Math.abs(vocab), h[6], 10000.0, 1e-5, vocab > 0,
                    true, false);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(in.path(), "bad header (dim=" + h[0] + ", hidden_dim=" + h[1]
                    + ", n_layers=" + h[2] + ", n_heads=" + h[3] + ", n_kv_heads=" + h[4] + ", vocab_size=" + h[5]
                    + ", seq_len=" + h[6] + "): " + e.getMessage(), e);
        }
    }

    /** The order llama2.c writes tensors: embedding, then each kind for all layers, then the final norm. */
    private static List<String> storageOrder(LlamaConfig config) {
        List<String> names = new ArrayList<>();
        names.add(CanonicalNames.EMBED_TOKENS);
        for (String kind : List.of(CanonicalNames.ATTENTION_NORM, CanonicalNames.Q_PROJ, CanonicalNames.K_PROJ,
                CanonicalNames.V_PROJ, CanonicalNames.O_PROJ, CanonicalNames.FFN_NORM, CanonicalNames.GATE_PROJ,
                CanonicalNames.DOWN_PROJ, CanonicalNames.UP_PROJ)) {
            for (int i = 0; i < config.layers(); i++) {
                names.add(layer(i, kind));
            }
        }
        names.add(CanonicalNames.FINAL_NORM);
        return names;
    }

    /**
     * Writes a version-0 checkpoint (the RoPE tables filled with zeros: readers recompute them). Only interleaved,
     * bias-free weights with theta 10000 and epsilon 1e-5 fit the format.
     */
    public static void writeCheckpoint(ModelWeights weights, Path file) throws IOException {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(file, "file");
        LlamaConfig c = weights.config();
        if (!c.ropeInterleaved() || c.attentionBias() || c.ropeTheta() != 10000.0 || c.normEps() != 1e-5) {
            throw new IllegalArgumentException("llama2.c checkpoints hold only interleaved-RoPE, bias-free models "
                    + "with rope theta 10000 and norm eps 1e-5, got " + c);
        }
        CanonicalNames.requireComplete(c, weights.tensors());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                1 << 16))) {
            for (int v : new int[] {c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(),
                    c.tiedEmbeddings() ? c.vocabSize() : -c.vocabSize(), c.maxSeqLen()}) {
                writeIntLe(out, v);
            }
            for (String name : storageOrder(c)) {
                writeFloatsLe(out, weights.tensors().get(name).data());
            }
            writeFloatsLe(out, new float[c.maxSeqLen() * c.headSize()]);
            if (!c.tiedEmbeddings()) {
                writeFloatsLe(out, weights.tensors().get(CanonicalNames.LM_HEAD).data());
            }
        }
    }

    /** Reads a llama2.c tokenizer file; all tokens up to the end of the file form the vocabulary. */
    public static SentencePieceBpeTokenizer readTokenizer(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (MappedFile in = MappedFile.open(file)) {
            ByteBuffer data = in.bytes(0, in.size(), "the tokenizer");
            if (data.remaining() < 4) {
                throw new ModelFormatException(file, "missing the int32 max_token_length header (truncated file?)");
            }
            int maxTokenLength = data.getInt();
            List<String> pieces = new ArrayList<>();
            List<Float> scores = new ArrayList<>();
            while (data.hasRemaining()) {
                int id = pieces.size();
                if (data.remaining() < 8) {
                    throw new ModelFormatException(file, "token " + id + " needs a score and a length, only "
                            + data.remaining() + " bytes are left (truncated file?)");
                }
                float score = data.getFloat();
                int length = data.getInt();
                if (length < 0 || length > maxTokenLength || length > data.remaining()) {
                    throw new ModelFormatException(file, "token " + id + " claims " + length + " bytes; expected 0.."
                            + Math.min(maxTokenLength, data.remaining()) + " (max_token_length " + maxTokenLength
                            + ", " + data.remaining() + " bytes left)");
                }
                byte[] bytes = new byte[length];
                data.get(bytes);
                pieces.add(new String(bytes, StandardCharsets.UTF_8));
                scores.add(score);
            }
            if (pieces.size() < 3) {
                throw new ModelFormatException(file, "expected at least the 3 special tokens (unk, BOS, EOS), found "
                        + pieces.size());
            }
            float[] scoreArray = new float[scores.size()];
            List<PieceType> types = new ArrayList<>();
            for (int id = 0; id < pieces.size(); id++) {
                scoreArray[id] = scores.get(id);
                types.add(SentencePieceBpeTokenizer.llama2cType(id, pieces.get(id)));
            }
            return new SentencePieceBpeTokenizer(pieces, scoreArray, types, 1, 2, 0, true);
        }
    }

    /**
     * Writes a tokenizer in llama2.c's format. The format has no types nor special ids, so only a vocabulary
     * with unknown, BOS and EOS at ids 0, 1, 2 and a dummy prefix reads back the same.
     */
    public static void writeTokenizer(SentencePieceBpeTokenizer tokenizer, Path file) throws IOException {
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(file, "file");
        if (tokenizer.unk() != 0 || tokenizer.bos() != 1 || tokenizer.eos() != 2 || !tokenizer.addDummyPrefix()) {
            throw new IllegalArgumentException("llama2.c tokenizers fix unk=0, bos=1, eos=2 and a dummy prefix, got "
                    + tokenizer);
        }
        List<byte[]> pieces = tokenizer.pieces().stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
        float[] scores = tokenizer.scores();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            writeIntLe(out, pieces.stream().mapToInt(p -> p.length).max().orElse(0));
            for (int id = 0; id < pieces.size(); id++) {
                writeFloatsLe(out, new float[] {scores[id]});
                writeIntLe(out, pieces.get(id).length);
                out.write(pieces.get(id));
            }
        }
    }

    private static void writeIntLe(OutputStream out, int value) throws IOException {
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    private static void writeFloatsLe(OutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (!buffer.hasRemaining()) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            buffer.putFloat(v);
        }
        out.write(buffer.array(), 0, buffer.position());
    }
}
