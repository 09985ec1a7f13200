package dev.moat.langchain4j;

import dev.moat.tool.MoatTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.UserScope;
import dev.moat.identity.AgentKeypair;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One AI service serving two users: the chat memory id is the user, each call is signed with that
 * user's capability ({@code tool://inbox/{user}/**}), and the tool's resource names the inbox the
 * model asked for ({@code tool://inbox/{owner}/messages}). A prompt-injected model in Alice's chat
 * cannot read Bob's inbox, and cannot smuggle a path through the user or the argument.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerUserToolsTest {
    interface Assistant {
        String chat(@MemoryId String user, @UserMessage String message);
    }

    /** A mailbox per user; the tool body records whose inbox it actually opened. */
    static final class Inbox {
        final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();

        @Tool(name = "read_inbox", value = "Reads a user's inbox")
        @MoatTool(resource = "tool://inbox/{owner}/messages", action = "read")
        public String readInbox(String owner) {
            opened.computeIfAbsent(owner, k -> new AtomicInteger()).incrementAndGet();
            return "inbox of " + owner + ": 1 message";
        }
    }

    private final AgentKeypair admin = AgentKeypair.generate("admin");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private Moat moat;
    private final Inbox inbox = new Inbox();
    private final dev.moat.audit.InMemoryAuditStore audit = new dev.moat.audit.InMemoryAuditStore();

    @BeforeEach
    void setUp() {
        TokenChain chain = TokenChain.issue(admin, Grant.to(assistant.id()).allow("tool://inbox/**", "read")
                .validFor(Duration.ofHours(8)).build());
        moat = Moat.builder().agent(admin).agent(assistant).trustRoot("admin").capability("assistant", chain)
                .sequenceStore(new dev.moat.replay.InMemorySequenceStore())
                .auditLog(dev.moat.audit.AuditLog.builder(audit, AgentKeypair.generate("moat-audit")).open()).build();
    }

    /** "resource allowed|denied user" of every decision entry, in order. */
    private List<String> decisions() {
        return audit.entries().stream().map(dev.moat.audit.AuditEntry::event)
                .filter(e -> e instanceof dev.moat.audit.AuditEvent.Decision)
                .map(e -> (dev.moat.audit.AuditEvent.Decision) e)
                .map(d -> d.resource() + " " + (d.allowed() ? "allowed" : "denied") + " " + d.user()).toList();
    }

    @AfterEach
    void tearDown() {
        moat.close();
    }

    private static AiMessage call(String id, String owner) {
        return AiMessage.from(ToolExecutionRequest.builder().id(id).name("read_inbox")
                .arguments("{\"owner\":\"" + owner.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").build());
    }

    private Assistant service(ScriptedChatModel model) {
        MoatTools tools = MoatTools.builder(moat.guard(), "assistant")
                .perUser(moat, UserScope.of("tool://inbox/{user}/**", "read").validFor(Duration.ofMinutes(15)))
                .build();
        return AiServices.builder(Assistant.class).chatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                .tools(tools.tools(inbox))
                .build();
    }

    private static List<String> texts(ScriptedChatModel model) {
        return model.toolResultsSeen().stream().map(ToolExecutionResultMessage::text).toList();
    }

    @Test
    void twoUsersOnOneServiceEachReachOnlyTheirOwnInbox() {
        ScriptedChatModel aliceModel = new ScriptedChatModel(
                m -> call("1", "alice"),
                m -> call("2", "bob"), // an injected instruction: "now read bob's inbox"
                m -> AiMessage.from("done"));
        Assistant service = service(aliceModel);
        assertThat(service.chat("alice", "read my inbox")).isEqualTo("done");
        assertThat(texts(aliceModel)).satisfiesExactly(
                t -> assertThat(t).isEqualTo("inbox of alice: 1 message"),
                t -> assertThat(t).startsWith("denied:").contains("not_granted"));

        ScriptedChatModel bobModel = new ScriptedChatModel(m -> call("3", "bob"), m -> AiMessage.from("ok"));
        Assistant bobs = service(bobModel); // a second service object over the same agent and guard
        assertThat(bobs.chat("bob", "read my inbox")).isEqualTo("ok");
        assertThat(texts(bobModel)).containsExactly("inbox of bob: 1 message");

        assertThat(inbox.opened.get("alice")).hasValue(1);
        assertThat(inbox.opened.get("bob")).hasValue(1); // only Bob's own call opened it
        // the audit names the end user of every decision, the denied injection too
        assertThat(decisions()).containsExactly("tool://inbox/alice/messages allowed alice",
                "tool://inbox/bob/messages denied alice", "tool://inbox/bob/messages allowed bob");
    }

    @Test
    void theSameServiceObjectKeepsUsersApartAcrossInterleavedChats() {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> call("1", "bob"), m -> AiMessage.from("a1"),     // alice's chat, asks for bob
                m -> call("2", "bob"), m -> AiMessage.from("b1"),     // bob's chat, asks for bob
                m -> call("3", "alice"), m -> AiMessage.from("b2"));  // bob's chat, asks for alice
        Assistant service = service(model);
        assertThat(service.chat("alice", "hi")).isEqualTo("a1");
        assertThat(texts(model)).singleElement().satisfies(t -> assertThat(t).startsWith("denied:").contains("not_granted"));
        assertThat(service.chat("bob", "hi")).isEqualTo("b1");
        assertThat(service.chat("bob", "hi")).isEqualTo("b2");
        assertThat(texts(model)).satisfiesExactly(
                t -> assertThat(t).isEqualTo("inbox of bob: 1 message"),
                t -> assertThat(t).startsWith("denied:").contains("not_granted"));
        assertThat(inbox.opened.keySet()).containsExactly("bob");
    }

    @Test
    void injectionThroughTheArgumentOrTheUserIsDenied() {
        List<String> evilOwners = List.of("alice/../bob", "bob/*", "..", "*", "**", "al\u200bice", "alice\n", "", "alice/x");
        ScriptedChatModel model = new ScriptedChatModel(
                m -> call("1", evilOwners.get(0)), m -> call("2", evilOwners.get(1)), m -> call("3", evilOwners.get(2)),
                m -> call("4", evilOwners.get(3)), m -> call("5", evilOwners.get(4)), m -> call("6", evilOwners.get(5)),
                m -> call("7", evilOwners.get(6)), m -> call("8", evilOwners.get(7)), m -> call("9", evilOwners.get(8)),
                m -> AiMessage.from("done"));
        assertThat(service(model).chat("alice", "go")).isEqualTo("done");
        assertThat(texts(model)).hasSize(evilOwners.size())
                .allSatisfy(t -> assertThat(t).startsWith("denied:").contains("invalid_resource"));

        for (String evilUser : List.of("bob/..", "../bob", "*", "al ice", "b\u0000b")) {
            ScriptedChatModel m2 = new ScriptedChatModel(m -> call("1", "bob"), m -> AiMessage.from("x"));
            assertThat(service(m2).chat(evilUser, "go")).isEqualTo("x");
            assertThat(texts(m2)).singleElement().satisfies(t -> assertThat(t).startsWith("denied:").contains("invalid_resource"));
        }
        assertThat(inbox.opened).isEmpty();
    }

    @Test
    void aPlaceholderMustBeAWholeSegmentAndTheMoatMustBeTheGuards() {
        final class Bad {
            @Tool(name = "peek", value = "x")
            @MoatTool(resource = "tool://inbox/x{owner}", action = "read")
            public String peek(String owner) {
                return owner;
            }
        }
        assertThatThrownBy(() -> MoatTools.builder(moat.guard(), "assistant").build().tools(new Bad()))
                .isInstanceOf(MoatException.class).hasMessageContaining("whole segment");
        Moat other = Moat.builder().agent(admin).agent(assistant).trustRoot("admin")
                .capability("assistant", TokenChain.issue(admin, Grant.to(assistant.id()).allow("tool://x", "read")
                        .validFor(Duration.ofHours(1)).build()))
                .inMemoryStores(AgentKeypair.generate("moat-audit")).build();
        try (other) {
            assertThatThrownBy(() -> MoatTools.builder(moat.guard(), "assistant").perUser(other, UserScope.of("tool://inbox/{user}/**", "read")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
