package dev.moat.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.UserScope;
import dev.moat.tool.ToolPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * One agent serving several users: the user comes from the tool context, each call is signed with
 * that user's capability ({@code tool://inbox/{user}/**}), so a call for Bob's inbox made in
 * Alice's chat is denied, a call with no user is denied, and a user value that tries to escape its
 * segment is denied before anything is signed for it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PerUserToolCallbacksTest {
    private final TestMoat moat = new TestMoat(g -> g.allow("tool://inbox/**", "read"));

    @AfterEach
    void close() {
        moat.close();
    }

    /** A tool that reads Alice's inbox (its resource names whose inbox it opens). */
    static final class AliceInbox implements ToolCallback {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Override
        public ToolDefinition getToolDefinition() {
            return ToolDefinition.builder().name("read_alice_inbox").description("reads alice's inbox").inputSchema("{}").build();
        }

        @Override
        public String call(String input) {
            ran.add(input);
            return "alice: 2 messages";
        }
    }

    private static ToolContext user(String name) {
        return new ToolContext(Map.of(UserResolver.DEFAULT_KEY, name));
    }

    @Test
    void eachUserReachesOnlyTheirOwnResources() {
        AliceInbox tool = new AliceInbox();
        ToolCallback guarded = MoatToolCallbacks.builder(moat.moat.guard(), "assistant")
                .policy(ToolPolicy.forTool("read_alice_inbox").resource("tool://inbox/alice/messages").action("read").build())
                .perUser(moat.moat, UserScope.of("tool://inbox/{user}/**", "read").validFor(Duration.ofMinutes(15)))
                .build().guard(tool);

        assertThat(guarded.call("{}", user("alice"))).isEqualTo("alice: 2 messages");
        assertThat(guarded.call("{}", user("bob"))).startsWith("denied:").contains("not_granted");
        assertThat(guarded.call("{}", new ToolContext(Map.of()))).startsWith("denied:");
        assertThat(guarded.call("{}", user("alice/../bob"))).startsWith("denied:").contains("invalid_resource");
        assertThat(tool.ran).hasSize(1);
    }
}
