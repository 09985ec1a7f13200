package dev.moat.samples.chatbot;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;

/** Picks the model: OpenAI if OPENAI_API_KEY is set, Ollama if OLLAMA_BASE_URL is set, else the offline script. */
final class Models {
    private Models() {}

    record Choice(ChatModel model, String description, boolean scripted) {}

    static Choice fromEnvironment() {
        String key = System.getenv("OPENAI_API_KEY");
        String ollama = System.getenv("OLLAMA_BASE_URL");
        String name = System.getenv("MOAT_MODEL");
        if (key != null && !key.isBlank()) {
            OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder().apiKey(key)
                    .modelName(name == null ? "gpt-4o-mini" : name).temperature(0.0).timeout(Duration.ofSeconds(60));
            String base = System.getenv("OPENAI_BASE_URL");
            if (base != null && !base.isBlank()) {
                b.baseUrl(base);
            }
            return new Choice(b.build(), "OpenAI " + (name == null ? "gpt-4o-mini" : name), false);
        }
        if (ollama != null && !ollama.isBlank()) {
            String model = name == null ? "llama3.1" : name;
            return new Choice(OpenAiChatModel.builder().baseUrl(ollama.replaceAll("/+$", "") + "/v1").apiKey("ollama")
                    .modelName(model).temperature(0.0).timeout(Duration.ofSeconds(120)).build(), "Ollama " + model, false);
        }
        return new Choice(new InjectionReplayModel(), "offline scripted model replaying an indirect prompt injection", true);
    }
}
