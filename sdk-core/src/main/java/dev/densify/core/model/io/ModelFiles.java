package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one entry point for checkpoints. Reading recognises, in this order: a folder with {@code config.json}
 * (Hugging Face safetensors), a folder with {@value #ADAPTER} (LoRA adapters, read merged into the base checkpoint
 * they name), a file starting with the GGUF magic, a {@code .safetensors} file (its folder is read), and otherwise
 * a llama2.c {@code .bin}, whose tokenizer is looked up beside it as {@code tokenizer.bin} or
 * {@code tok<vocab size>.bin}. Writing always produces a Hugging Face style folder of float32 safetensors.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ModelFiles {
    /** The file name of a saved LoRA adapter inside its folder. */
    public static final String ADAPTER = "adapter.safetensors";
    private static final String BASE_CONFIG_KEY = "densify.base_config";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {}

    /** Reads a checkpoint of any supported format, with the tokenizer it carries or that lies beside it. */
    public static ModelWeights read(Path fileOrFolder) throws IOException {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder");
        return switch (formatOf(fileOrFolder)) {
            case HUGGING_FACE -> HuggingFaceFormat.read(folderOf(fileOrFolder));
            case ADAPTER -> readMerged(fileOrFolder);
            case GGUF -> GgufFormat.read(fileOrFolder);
            case LLAMA2C -> Llama2cFormat.readCheckpoint(fileOrFolder, llama2cTokenizer(fileOrFolder));
        };
    }

    /**
     * The architecture of a checkpoint without reading its weights: {@code config.json}, the llama2.c header, the
     * GGUF metadata, or an adapter's recorded base configuration.
     */
    public static LlamaConfig readConfig(Path fileOrFolder) throws IOException {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder");
        return switch (formatOf(fileOrFolder)) {
            case HUGGING_FACE -> {
                Path config = folderOf(fileOrFolder).resolve(HuggingFaceFormat.CONFIG);
                yield HfConfig.parse(config, JsonFiles.read(config, JSON.reader()));
            }
            case ADAPTER -> readAdapter(fileOrFolder).weights().config();
            case GGUF -> GgufFormat.readConfig(fileOrFolder);
            case LLAMA2C -> Llama2cFormat.readConfig(fileOrFolder);
        };
    }

    /**
     * The adapters of {@code model} as {@link #writeAdapter} saves them: its LoRA tensors, configuration and the
     * base checkpoint they apply to.
     */
    public static AdapterWeights adapterOf(LlamaModel model, AdapterBase base) {
        LoraConfig lora = model.lora().orElseThrow(() -> new IllegalArgumentException("the model has no LoRA adapters"));
        return adapter(model.loraWeights(), lora, base);
    }

    /** Adapter tensors with their configuration and the base checkpoint they apply to, as one saveable adapter. */
    public static AdapterWeights adapter(ModelWeights tensors, LoraConfig lora, AdapterBase base) {
        Map<String, String> metadata = new HashMap<>(lora.toMetadata());
        metadata.putAll(base.toMetadata());
        return new AdapterWeights(tensors, metadata);
    }

    /** The base checkpoint an adapter saved by {@link #writeAdapter} names. */
    public static AdapterBase baseOf(AdapterWeights adapter) throws ModelFormatException {
        return AdapterBase.fromMetadata(Path.of(ADAPTER), adapter.metadata());
    }

    /**
     * The model an adapter folder (or file) describes: the base checkpoint it names, checked against its recorded
     * SHA-256, with the trained adapters on top (not merged).
     */
    public static LlamaModel readAdapted(Path adapterFileOrFolder) throws IOException {
        AdapterWeights adapter = readAdapter(adapterFileOrFolder);
        AdapterBase recorded = baseOf(adapter);
        if (!Files.exists(recorded.path())) {
            throw new ModelFormatException(adapterFileOrFolder, "its base checkpoint " + recorded.path()
                    + " is missing; the adapters apply to that checkpoint only (sha256 " + recorded.sha256() + ")");
        }
        recorded.requireSame(AdapterBase.of(recorded.path()));
        ModelWeights base = read(recorded.path());
        if (!base.config().equals(adapter.weights().config())) {
            throw new ModelFormatException(adapterFileOrFolder, "was trained on a base of " + adapter.weights().config()
                    + " but " + recorded.path() + " holds " + base.config());
        }
        LoraConfig lora;
        try {
            lora = LoraConfig.fromMetadata(adapter.metadata());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(adapterFileOrFolder, e.getMessage(), e);
        }
        Tokenizer tokenizer = base.tokenizer().orElseThrow(() -> new ModelFormatException(recorded.path(),
                "has no tokenizer beside it"));
        try (LlamaModel frozen = LlamaModel.fromWeights(base, tokenizer)) {
            LlamaModel adapted = frozen.withLora(lora);
            try {
                adapted.restore(new ModelWeights(adapted.config(), adapter.weights().tensors(), Optional.empty()));
            } catch (IllegalArgumentException e) {
                adapted.close();
                throw new ModelFormatException(adapterFileOrFolder, e.getMessage(), e);
            }
            return adapted;
        }
    }

    /** An adapter folder read as one checkpoint: the adapters folded into their base's weights. */
    private static ModelWeights readMerged(Path adapterFileOrFolder) throws IOException {
        try (LlamaModel adapted = readAdapted(adapterFileOrFolder)) {
            adapted.mergeLora();
            return adapted.toWeights();
        }
    }

    /** Reads a checkpoint and pairs it with {@code tokenizer} instead of the one the files carry. */
    public static ModelWeights read(Path fileOrFolder, Tokenizer tokenizer) throws IOException {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Optional<Tokenizer> given = Optional.of(tokenizer);
        ModelWeights weights = switch (formatOf(fileOrFolder)) {
            case HUGGING_FACE -> HuggingFaceFormat.read(folderOf(fileOrFolder), false);
            case ADAPTER -> readMerged(fileOrFolder);
            case GGUF -> GgufFormat.read(fileOrFolder);
            case LLAMA2C -> Llama2cFormat.readCheckpoint(fileOrFolder, given);
        };
        if (tokenizer.vocabSize() > weights.config().vocabSize()) {
            throw new ModelFormatException(fileOrFolder, "the given tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocabulary only " + weights.config().vocabSize());
        }
        return new ModelWeights(weights.config(), weights.tensors(), given);
    }

    /**
     * Reads a tokenizer on its own: {@code tokenizer.json} (Hugging Face), {@code densify-tokenizer.json}, a
     * {@code .gguf} (its embedded tokenizer), or otherwise a llama2.c tokenizer {@code .bin}.
     */
    public static Tokenizer readTokenizer(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return name.equals(TokenizerFiles.DENSIFY_FILE) ? TokenizerFiles.readDensify(file)
                    : TokenizerFiles.readHuggingFace(file);
        }
        if (formatOf(file) == Format.GGUF) {
            return GgufFormat.read(file).tokenizer()
                    .orElseThrow(() -> new ModelFormatException(file, "holds no supported tokenizer"));
        }
        return Llama2cFormat.readTokenizer(file);
    }

    /** Writes the checkpoint as a Hugging Face style folder (see {@link HuggingFaceFormat#write}). */
    public static void write(ModelWeights weights, Path folder) throws IOException {
        HuggingFaceFormat.write(weights, folder);
    }

    /** Saves a LoRA adapter as {@value #ADAPTER} in {@code folder}, its metadata and base configuration inside. */
    public static void writeAdapter(AdapterWeights adapter, Path folder) throws IOException {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(folder, "folder");
        if (adapter.metadata().containsKey(BASE_CONFIG_KEY)) {
            throw new IllegalArgumentException("metadata key " + BASE_CONFIG_KEY + " is reserved");
        }
        Map<String, String> metadata = new HashMap<>(adapter.metadata());
        LlamaConfig base = adapter.weights().config();
        metadata.put(BASE_CONFIG_KEY, JSON.writeValueAsString(HfConfig.toJson(base, java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty())));
        Files.createDirectories(folder);
        Safetensors.write(folder.resolve(ADAPTER), adapter.weights().tensors().values(), metadata);
    }

    /** Reads an adapter saved by {@link #writeAdapter}, from its folder or the file itself. */
    public static AdapterWeights readAdapter(Path fileOrFolder) throws IOException {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder");
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(ADAPTER) : fileOrFolder;
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> metadata = new HashMap<>(contents.metadata());
        String base = metadata.remove(BASE_CONFIG_KEY);
        if (base == null) {
            throw new ModelFormatException(file, "missing metadata " + BASE_CONFIG_KEY + ": not a densify adapter");
        }
        LlamaConfig config;
        try {
            config = HfConfig.parse(file, JSON.readTree(base));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "metadata " + BASE_CONFIG_KEY + " is not JSON", e);
        }
        return new AdapterWeights(new ModelWeights(config, contents.tensors(), Optional.empty()), metadata);
    }

    private enum Format { HUGGING_FACE, ADAPTER, GGUF, LLAMA2C }

    private static Format formatOf(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(HuggingFaceFormat.CONFIG))) {
                return Format.HUGGING_FACE;
            }
            if (Files.isRegularFile(path.resolve(ADAPTER))) {
                return Format.ADAPTER;
            }
            throw new ModelFormatException(path, "a checkpoint folder needs " + HuggingFaceFormat.CONFIG
                    + " and safetensors weights (or " + ADAPTER + ", LoRA adapters naming their base)");
        }
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException(path, "no such file or folder");
        }
        if (path.getFileName().toString().equals(ADAPTER)) {
            return Format.ADAPTER;
        }
        if (path.getFileName().toString().endsWith(".safetensors")) {
            return Format.HUGGING_FACE;
        }
        if (startsWithGgufMagic(path)) {
            return Format.GGUF;
        }
        if (path.getFileName().toString().endsWith(".gguf")) {
            // read as llama2.c, its message would be about a 7-int header the user never meant
            throw new ModelFormatException(path, "not a GGUF file: its " + Files.size(path) + " bytes do not start"
                    + " with the magic 'GGUF' (empty, truncated or another format?)");
        }
        return Format.LLAMA2C;
    }

    private static boolean startsWithGgufMagic(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (magic.hasRemaining() && channel.read(magic) >= 0) {
                // keep reading: a channel may return fewer bytes than asked
            }
            return !magic.hasRemaining() && magic.getInt(0) == 0x46554747;
        }
    }

    private static Path folderOf(Path path) {
        return Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    }

    private static Optional<Tokenizer> llama2cTokenizer(Path bin) throws IOException {
        Path folder = bin.toAbsolutePath().getParent();
        ByteBuffer header = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(bin, StandardOpenOption.READ)) {
            channel.read(header, 0);
        }
        int vocab = Math.abs(header.getInt(20));
        for (String name : List.of("tokenizer.bin", "tok" + vocab + ".bin")) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate) && !candidate.equals(bin.toAbsolutePath())) {
                return Optional.of(Llama2cFormat.readTokenizer(candidate));
            }
        }
        return Optional.empty();
    }
}
