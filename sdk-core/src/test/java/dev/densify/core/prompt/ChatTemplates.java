package dev.densify.core.prompt;

import dev.densify.core.model.io.ChatTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chat templates for tests, written as a checkpoint's {@code tokenizer_config.json} and read back the way a run
 * reads one. The special tokens are those of the byte tokenizer (BOS 1, EOS 2).
 */
final class ChatTemplates {
    /** Zephyr style: BOS, then per message {@code <|role|>\n content EOS \n}, then {@code <|assistant|>\n}. */
    static final String ZEPHYR = "{{ bos_token }}{% for message in messages %}\n"
            + "{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}"
            + "{% endfor %}\n"
            + "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

    /** Llama 2 chat, as Meta's tokenizer_config.json has it (system folded into the first user turn). */
    static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
            + "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
            + "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
            + "{% if loop.index0 == 0 and system_message != false %}"
            + "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
            + "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
            + "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
            + "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    private ChatTemplates() {}

    /** Writes {@code template} into {@code folder}/tokenizer_config.json and reads it as a checkpoint's. */
    static ChatTemplate write(Path folder, String template) {
        try {
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(template);
            Files.writeString(folder.resolve("tokenizer_config.json"), """
                    {"bos_token": "<s>", "eos_token": "</s>",
                     "added_tokens_decoder": {"1": {"content": "<s>", "special": true},
                                              "2": {"content": "</s>", "special": true}},
                     "chat_template": %s}
                    """.formatted(json));
            return ChatTemplate.read(folder).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
