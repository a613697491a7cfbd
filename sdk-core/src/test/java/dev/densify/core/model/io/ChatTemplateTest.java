package dev.densify.core.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {
    private static final String TEMPLATE = "{% for m in messages %}{{ m['content'] }}{% endfor %}";

    @TempDir
    Path folder;

    @Test
    void aTokenizerConfigGivesTheTemplateAndItsSpecialTokens() throws IOException {
        Files.writeString(folder.resolve("tokenizer_config.json"), """
                {"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "<|im_end|>",
                 "added_tokens_decoder": {"1": {"content": "<s>", "special": true},
                                          "7": {"content": "<|im_end|>", "special": true},
                                          "9": {"content": "plain", "special": false}},
                 "chat_template": "%s"}
                """.formatted(TEMPLATE.replace("'", "\\u0027")));
        ChatTemplate t = ChatTemplate.read(folder).orElseThrow();
        assertEquals(TEMPLATE, t.source());
        assertEquals(Optional.of("<s>"), t.bosToken());
        assertEquals(Optional.of("<|im_end|>"), t.eosToken());
        assertEquals(Map.of("<s>", 1, "<|im_end|>", 7), t.specialTokens());
        assertEquals(t, ChatTemplate.read(folder.resolve("tokenizer_config.json")).orElseThrow());
    }

    @Test
    void ofSeveralNamedTemplatesTheDefaultOneIsRead() throws IOException {
        Files.writeString(folder.resolve("tokenizer_config.json"), """
                {"chat_template": [{"name": "tool_use", "template": "tools"}, {"name": "default", "template": "chat"}]}
                """);
        assertEquals("chat", ChatTemplate.read(folder).orElseThrow().source());
        Files.writeString(folder.resolve("tokenizer_config.json"), """
                {"chat_template": [{"name": "tool_use", "template": "tools"}]}
                """);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ChatTemplate.read(folder));
        assertTrue(e.getMessage().contains("'default'"), e.getMessage());
    }

    @Test
    void aCheckpointWithoutATemplateHasNone() throws IOException {
        assertEquals(Optional.empty(), ChatTemplate.read(folder));
        Files.writeString(folder.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        assertEquals(Optional.empty(), ChatTemplate.read(folder));
        Path bin = Files.write(folder.resolve("model.bin"), new byte[28]);
        assertEquals(Optional.empty(), ChatTemplate.read(bin));
    }

    @Test
    void aJinjaFileIsATemplateOfItsOwn() throws IOException {
        Path file = Files.writeString(folder.resolve("chat.jinja"), TEMPLATE);
        ChatTemplate t = ChatTemplate.read(file).orElseThrow();
        assertEquals(TEMPLATE, t.source());
        assertEquals(Map.of(), t.specialTokens());
    }

    @Test
    void aGgufFileGivesItsTemplateWithItsControlTokens() throws IOException {
        byte[] gguf = new GgufTestFile().string("general.architecture", "llama")
                .string("tokenizer.chat_template", TEMPLATE)
                .strings("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "a", "<|im_end|>"))
                .ints("tokenizer.ggml.token_type", new int[] {2, 3, 3, 1, 3})
                .u32("tokenizer.ggml.bos_token_id", 1).u32("tokenizer.ggml.eos_token_id", 4).bytes();
        Path file = Files.write(folder.resolve("model.gguf"), gguf);
        ChatTemplate t = ChatTemplate.read(file).orElseThrow();
        assertEquals(TEMPLATE, t.source());
        assertEquals(Optional.of("<s>"), t.bosToken());
        assertEquals(Optional.of("<|im_end|>"), t.eosToken());
        assertEquals(Map.of("<s>", 1, "</s>", 2, "<|im_end|>", 4), t.specialTokens());
        Path without = Files.write(folder.resolve("plain.gguf"),
                new GgufTestFile().string("general.architecture", "llama").bytes());
        assertEquals(Optional.empty(), ChatTemplate.read(without));
    }

    @Test
    void aMalformedTemplateIsReportedByFile() throws IOException {
        Path file = Files.writeString(folder.resolve("tokenizer_config.json"), "{\"chat_template\": 3}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ChatTemplate.read(file));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("chat_template"),
                e.getMessage());
    }
}
