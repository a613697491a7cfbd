package dev.densify.core.model;

import ai.djl.ndarray.NDScope;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The sampling loop of {@link Generator} with the forward pass in plain Java arrays instead of engine calls. For
 * a small model the engine's fixed cost per call (a hundred and more calls per decoded token) outweighs the
 * arithmetic many times over; here a token costs only its arithmetic. The math is that of
 * {@link Transformer#decode}: RMSNorm, rotary embeddings in either layout, grouped-query attention, SwiGLU,
 * optional q/k/v biases, tied or separate head; sampling is the same {@link Sampler} and {@link Generator.Row}.
 *
 * <p>Weights are copied out of the parameters when the decoder is made, so it must be made per generate call:
 * the optimizer changes parameters in place, and a kept copy would silently sample from old weights. Matrices
 * are stored transposed, one array per input row ([in][out]), so that every product is a sequence of axpy loops
 * over whole arrays, which the JIT compiles to vector instructions without the incubating Vector API. Read-only
 * after construction, so several threads may decode different rows at once.
 */
final class JavaDecoder {
    private final LlamaConfig c;
    private final Tokenizer tokenizer;
    private final SamplingOptions options;
    private final Sampler sampler;
    private final GenerationClock clock;
    private final float inverseTemperature;
    private final int qDim;
    private final int kvDim;
    private final int qkvWidth;
    private final float[] rope;
    private final float[] embedding;
    private final float[][][] qkv;
    private final float[][] qkvBias;
    private final float[][][] wo;
    private final float[][][] gateUp;
    private final float[][][] down;
    private final float[][] head;

    JavaDecoder(Parameters p, Tokenizer tokenizer, SamplingOptions options, GenerationClock clock) {
        this.c = p.config();
        this.tokenizer = tokenizer;
        this.options = options;
        this.sampler = new Sampler(options);
        this.clock = clock;
        this.inverseTemperature = options.isGreedy() ? 1f : (float) (1.0 / options.temperature());
        int dim = c.dim();
        int hidden = c.hiddenDim();
        this.qDim = dim;
        this.kvDim = c.kvDim();
        this.qkvWidth = qDim + 2 * kvDim;
        this.rope = Rope.table(c);
        this.qkv = new float[c.layers()][][];
        this.qkvBias = new float[c.layers()][];
        this.wo = new float[c.layers()][][];
        this.gateUp = new float[c.layers()][][];
        this.down = new float[c.layers()][][];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            float scale = (float) (1.0 / Math.sqrt(c.headSize()));
            for (int i = 0; i < c.layers(); i++) {
                float[] g = read(p, CanonicalNames.layer(i, CanonicalNames.ATTENTION_NORM));
                float[][] w = new float[dim][qkvWidth];
                // q (with the attention scale), k, v side by side; the norm gain scales each input row
                putTransposed(w, 0, read(p, CanonicalNames.layer(i, CanonicalNames.Q_PROJ)), qDim, dim, g,
                        scale);
                putTransposed(w, qDim, read(p, CanonicalNames.layer(i, CanonicalNames.K_PROJ)), kvDim, dim,
                        g, 1);
                putTransposed(w, qDim + kvDim, read(p, CanonicalNames.layer(i, CanonicalNames.V_PROJ)),
                        kvDim, dim, g, 1);
                qkv[i] = w;
                if (c.attentionBias()) {
                    float[] bias = new float[qkvWidth];
                    float[] bq = read(p, CanonicalNames.layer(i, CanonicalNames.Q_BIAS));
                    for (int j = 0; j < qDim; j++) {
                        bias[j] = bq[j] * scale;
                    }
                    System.arraycopy(read(p, CanonicalNames.layer(i, CanonicalNames.K_BIAS)), 0, bias, qDim, kvDim);
                    System.arraycopy(read(p, CanonicalNames.layer(i, CanonicalNames.V_BIAS)), 0, bias, qDim + kvDim,
                            kvDim);
                    qkvBias[i] = bias;
                }
                wo[i] = new float[dim][dim];
                putTransposed(wo[i], 0, read(p, CanonicalNames.layer(i, CanonicalNames.O_PROJ)), dim, dim, null,
                        1);
                float[] g2 = read(p, CanonicalNames.layer(i, CanonicalNames.FFN_NORM));
                gateUp[i] = new float[dim][2 * hidden];
                putTransposed(gateUp[i], 0, read(p, CanonicalNames.layer(i, CanonicalNames.GATE_PROJ)),
                        hidden, dim, g2, 1);
                putTransposed(gateUp[i], hidden, read(p, CanonicalNames.layer(i, CanonicalNames.UP_PROJ)),
                        hidden, dim, g2, 1);
                down[i] = new float[hidden][dim];
                putTransposed(down[i], 0, read(p, CanonicalNames.layer(i, CanonicalNames.DOWN_PROJ)), dim, hidden,
                        null, 1);
            }
            this.embedding = read(p, CanonicalNames.EMBED_TOKENS);
            float[] classifier = c.tiedEmbeddings() ? embedding : read(p, CanonicalNames.LM_HEAD);
            this.head = new float[dim][c.vocabSize()];
            putTransposed(head, 0, classifier, c.vocabSize(), dim,
                    read(p, CanonicalNames.FINAL_NORM), 1);
        }
    }

    /** The effective (LoRA-adapted), detached weight as a row-major copy. */
    private static float[] read(Parameters p, String name) {
        return p.effective(name, true).toFloatArray();
    }

    /**
     * Writes w [rows][cols] transposed into the columns [at, at + rows) of target [cols][..], each input column j
     * scaled by gain[j] (when given) and everything by scale.
     */
    private static void putTransposed(float[][] target, int at, float[] w, int rows, int cols, float[] gain,
                                      float scale) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float g = gain == null ? scale : gain[j] * scale;
                target[j][at + r] = w[r * cols + j] * g;
            }
        }
    }

    /**
     * One sequence's keys and values, [layer][kvDim][capacity]: one array per element of a head, along
     * positions, so that attention runs over positions in offset-free loops the JIT vectorises.
     */
    private final class Sequence {
        final float[][][] keys;
        final float[][][] values;
        int length;

        Sequence(int capacity) {
            keys = new float[c.layers()][kvDim][capacity];
            values = new float[c.layers()][kvDim][capacity];
        }

        Sequence copy(int capacity) {
            Sequence s = new Sequence(capacity);
            for (int i = 0; i < c.layers(); i++) {
                for (int j = 0; j < kvDim; j++) {
                    System.arraycopy(keys[i][j], 0, s.keys[i][j], 0, length);
                    System.arraycopy(values[i][j], 0, s.values[i][j], 0, length);
                }
            }
            s.length = length;
            return s;
        }

        void write(int layer, int position, float[] y, int at) {
            for (int j = 0; j < kvDim; j++) {
                keys[layer][j][position] = y[at + j];
                values[layer][j][position] = y[at + kvDim + j];
            }
        }
    }

    /**
     * Generates until every row is finished; rows[i] continues prompts[i]. Equal prompts are prefilled once and
     * their caches copied, as in {@link Generator#decode}.
     */
    void decode(List<int[]> prompts, Generator.Row[] rows) {
        int vocab = c.vocabSize();
        int batch = prompts.size();
        long start = System.nanoTime();
        EqualPrompts equal = EqualPrompts.of(prompts);
        int[] distinct = equal.first();
        int[] source = equal.source();
        Sequence[] sequences = new Sequence[batch];
        int entries = 0;
        for (int d : distinct) {
            sequences[d] = new Sequence(capacity(prompts.get(d), rows[d]));
            entries += prompts.get(d).length;
        }
        // the prompts of all distinct rows in one pass: each position is an entry that attends to its own prefix
        Sequence[] of = new Sequence[entries];
        int[] tokens = new int[entries];
        int[] last = new int[distinct.length];
        int e = 0;
        for (int k = 0; k < distinct.length; k++) {
            int[] prompt = prompts.get(distinct[k]);
            for (int t = 0; t < prompt.length; t++) {
                of[e] = sequences[distinct[k]];
                tokens[e++] = prompt[t];
            }
            last[k] = e - 1;
        }
        float[] distinctProbs = forward(of, tokens, last);
        float[] probs = new float[batch * vocab];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(distinctProbs, source[b] * vocab, probs, b * vocab, vocab);
            if (sequences[b] == null) {
                sequences[b] = sequences[distinct[source[b]]].copy(capacity(prompts.get(b), rows[b]));
            }
        }
        long prefilled = System.nanoTime();
        clock.prefill.add(prefilled - start);
        try {
            decodeFrom(sequences, probs, rows);
        } finally {
            clock.decode.add(System.nanoTime() - prefilled);
        }
    }

    /** Cache positions a row needs: its prompt and every generated token but the last, which is never fed back. */
    private static int capacity(int[] prompt, Generator.Row row) {
        return prompt.length + row.budget() - 1;
    }

    private void decodeFrom(Sequence[] sequences, float[] probs, Generator.Row[] rows) {
        int vocab = c.vocabSize();
        int[] active = new int[rows.length];
        Arrays.setAll(active, i -> i);
        while (true) {
            int kept = 0;
            for (int slot = 0; slot < active.length; slot++) {
                Generator.Row row = rows[active[slot]];
                if (!row.add(sampler.pick(probs, slot, vocab, row.random()), tokenizer, options)) {
                    active[kept++] = active[slot];
                }
            }
            if (kept == 0) {
                return;
            }
            active = Arrays.copyOf(active, kept);
            Sequence[] of = new Sequence[kept];
            int[] tokens = new int[kept];
            int[] all = new int[kept];
            for (int slot = 0; slot < kept; slot++) {
                of[slot] = sequences[active[slot]];
                tokens[slot] = rows[active[slot]].last();
                all[slot] = slot;
            }
            probs = forward(of, tokens, all);
        }
    }

    /**
     * Feeds tokens[e] to sequence of[e] at that sequence's next position (entries of one sequence in order) and
     * returns the next-token probabilities [wanted.length][vocab] after the entries listed in wanted.
     */
    private float[] forward(Sequence[] of, int[] tokens, int[] wanted) {
        int n = tokens.length;
        int dim = c.dim();
        int hidden = c.hiddenDim();
        int[] positions = new int[n];
        for (int e = 0; e < n; e++) {
            positions[e] = of[e].length++;
        }
        float[] x = new float[n * dim];
        for (int e = 0; e < n; e++) {
            System.arraycopy(embedding, tokens[e] * dim, x, e * dim, dim);
        }
        float[] normed = new float[n * dim];
        float[] y = new float[n * qkvWidth];
        float[] attended = new float[n * dim];
        float[] gu = new float[n * 2 * hidden];
        float[] act = new float[n * hidden];
        float[] scores = new float[c.maxSeqLen()];
        for (int i = 0; i < c.layers(); i++) {
            rmsNorm(x, normed, n, dim);
            matmul(normed, n, dim, qkv[i], qkvWidth, y);
            for (int e = 0; e < n; e++) {
                int base = e * qkvWidth;
                if (qkvBias[i] != null) {
                    for (int j = 0; j < qkvWidth; j++) {
                        y[base + j] += qkvBias[i][j];
                    }
                }
                applyRope(y, base, c.heads(), positions[e]);
                applyRope(y, base + qDim, c.kvHeads(), positions[e]);
                of[e].write(i, positions[e], y, base + qDim);
            }
            for (int e = 0; e < n; e++) {
                attend(y, e * qkvWidth, of[e], i, positions[e] + 1, attended, e * dim, scores);
            }
            matmulAdd(attended, n, dim, wo[i], dim, x);
            rmsNorm(x, normed, n, dim);
            matmul(normed, n, dim, gateUp[i], 2 * hidden, gu);
            for (int e = 0; e < n; e++) {
                for (int j = 0; j < hidden; j++) {
                    float g = gu[e * 2 * hidden + j];
                    act[e * hidden + j] = g / (1f + (float) Math.exp(-g)) * gu[e * 2 * hidden + hidden + j];
                }
            }
            matmulAdd(act, n, hidden, down[i], dim, x);
        }
        int vocab = c.vocabSize();
        float[] finals = new float[wanted.length * dim];
        for (int k = 0; k < wanted.length; k++) {
            System.arraycopy(x, wanted[k] * dim, finals, k * dim, dim);
        }
        rmsNorm(finals, finals, wanted.length, dim);
        float[] logits = new float[wanted.length * vocab];
        matmul(finals, wanted.length, dim, head, vocab, logits);
        for (int k = 0; k < wanted.length; k++) {
            softmax(logits, k * vocab, vocab);
        }
        return logits;
    }

    private void rmsNorm(float[] x, float[] out, int n, int dim) {
        float eps = (float) c.normEps();
        for (int e = 0; e < n; e++) {
            int base = e * dim;
            float squares = 0;
            for (int j = 0; j < dim; j++) {
                squares += x[base + j] * x[base + j];
            }
            float inverse = 1f / (float) Math.sqrt(squares / dim + eps);
            for (int j = 0; j < dim; j++) {
                out[base + j] = x[base + j] * inverse;
            }
        }
    }

    /** x * cos + rot(x) * sin for each head of y[at ..], at the position's row of the table. */
    private void applyRope(float[] y, int at, int heads, int position) {
        int hs = c.headSize();
        int half = hs / 2;
        int row = position * 2 * hs;
        for (int h = 0; h < heads; h++) {
            int o = at + h * hs;
            if (c.ropeInterleaved()) {
                for (int d = 0; d < hs; d += 2) {
                    float a = y[o + d];
                    float b = y[o + d + 1];
                    y[o + d] = a * rope[row + d] - b * rope[row + hs + d];
                    y[o + d + 1] = b * rope[row + d + 1] + a * rope[row + hs + d + 1];
                }
            } else {
                for (int d = 0; d < half; d++) {
                    float a = y[o + d];
                    float b = y[o + d + half];
                    y[o + d] = a * rope[row + d] - b * rope[row + hs + d];
                    y[o + d + half] = b * rope[row + d + half] + a * rope[row + hs + d + half];
                }
            }
        }
    }

    /** Grouped-query attention of one entry's query heads (y[at ..], already scaled) over positions [0, length). */
    private void attend(float[] y, int at, Sequence sequence, int layer, int length, float[] out, int outAt,
                        float[] scores) {
        int hs = c.headSize();
        int group = c.heads() / c.kvHeads();
        float[][] keys = sequence.keys[layer];
        float[][] values = sequence.values[layer];
        for (int h = 0; h < c.heads(); h++) {
            int q = at + h * hs;
            int kv = (h / group) * hs;
            Arrays.fill(scores, 0, length, 0f);
            for (int d = 0; d < hs; d++) {
                float qd = y[q + d];
                float[] row = keys[kv + d];
                for (int t = 0; t < length; t++) {
                    scores[t] += qd * row[t];
                }
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < length; t++) {
                max = Math.max(max, scores[t]);
            }
            float sum = 0;
            for (int t = 0; t < length; t++) {
                scores[t] = (float) Math.exp(scores[t] - max);
                sum += scores[t];
            }
            float inverse = 1f / sum;
            for (int d = 0; d < hs; d++) {
                out[outAt + h * hs + d] = dot(scores, values[kv + d], length) * inverse;
            }
        }
    }

    /**
     * a[0, n) . b[0, n). The plain loop measured faster than four interleaved sums (2.6 against 1.9 GMAC/s at
     * n = 133): C2 vectorises its multiplies and keeps only the additions in order.
     */
    private static float dot(float[] a, float[] b, int n) {
        float sum = 0;
        for (int t = 0; t < n; t++) {
            sum += a[t] * b[t];
        }
        return sum;
    }

    /** out[row] = exp((l - max) / T) / sum over one row of logits, in place. */
    private void softmax(float[] logits, int at, int vocab) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits[at + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            float p = (float) Math.exp((logits[at + v] - max) * inverseTemperature);
            logits[at + v] = p;
            sum += p;
        }
        float inverse = (float) (1 / sum);
        for (int v = 0; v < vocab; v++) {
            logits[at + v] *= inverse;
        }
    }

    /** out [n][width] = x [n][in] times w [in][width]. */
    private static void matmul(float[] x, int n, int in, float[][] w, int width, float[] out) {
        float[] row = new float[width];
        for (int r = 0; r < n; r++) {
            multiplyRow(x, r * in, in, w, width, row);
            System.arraycopy(row, 0, out, r * width, width);
        }
    }

    /** out [n][width] += x [n][in] times w [in][width]. */
    private static void matmulAdd(float[] x, int n, int in, float[][] w, int width, float[] out) {
        float[] row = new float[width];
        for (int r = 0; r < n; r++) {
            multiplyRow(x, r * in, in, w, width, row);
            int o = r * width;
            for (int k = 0; k < width; k++) {
                out[o + k] += row[k];
            }
        }
    }

    /**
     * row [width] = x[at, at + in) times w [in][width], as axpy loops over whole weight rows. Every array is read
     * from index 0, which lets the JIT vectorise the loop (with offsets it stays scalar, about 4x slower).
     */
    private static void multiplyRow(float[] x, int at, int in, float[][] w, int width, float[] row) {
        Arrays.fill(row, 0f);
        for (int j = 0; j < in; j++) {
            float a = x[at + j];
            float[] wj = w[j];
            for (int k = 0; k < width; k++) {
                row[k] += a * wj[k];
            }
        }
    }
}
