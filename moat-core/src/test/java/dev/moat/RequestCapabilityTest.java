package dev.moat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.monitor.MutableClock;
import dev.moat.pep.Decision;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import dev.moat.tool.rule.ArgumentRule;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-request capabilities: the token narrowed to the request's tools, and request-scoped argument
 * rules applied by core's one tool check on top of each tool's own rules.
 */
@Timeout(60)
class RequestCapabilityTest {
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    private static final String IBAN = "DE89370400440532013000";

    private final AgentKeypair admin = AgentKeypair.generate("admin");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private final MutableClock clock = new MutableClock(START);
    private Moat moat;

    @BeforeEach
    void start() {
        TokenChain chain = TokenChain.issue(admin, Grant.to(assistant.id()).clock(clock)
                .allow("tool://mail/**", "execute").allow("tool://pay", "execute").allow("tool://read_file", "execute")
                .validFor(Duration.ofHours(8)).build());
        ToolRules rules = ToolRules.builder()
                .tool(ToolPolicy.forTool("send_mail").resource("tool://mail/send")
                        .constrain("to", ArgumentRule.oneOf("alice@example.com", "bob@example.com")).build())
                .tool(ToolPolicy.forTool("pay").constrain("amount", ArgumentRule.range("0.01", "500")).build())
                .tool(ToolPolicy.forTool("read_file").build())
                .build();
        moat = Moat.builder().clock(clock).agent(admin).agent(assistant).trustRoot("admin").toolRules(rules)
                .capability("assistant", chain).inMemoryStores(AgentKeypair.generate("moat-audit")).build();
    }

    @AfterEach
    void stop() {
        moat.close();
    }

    private Decision call(String tool, String arguments) {
        ToolPolicy p = moat.toolRules().find(tool).orElseThrow();
        return moat.guard().decide(ToolCall.builder("assistant", p.resource(), p.action()).arguments(arguments)
                .check(p.check(CallContext.NONE, null)).build());
    }

    private RequestCapability mailBobAndPayOneIban() {
        return moat.capabilities().forRequest("assistant", null)
                .tools("send_mail", "pay")
                .argument("send_mail", "to", ArgumentRule.oneOf("bob@example.com"))
                .argument("pay", "iban", ArgumentRule.oneOf(IBAN))
                .build();
    }

    private static ReasonCode code(Decision d) {
        assertThat(d.allowed()).as("denied").isFalse();
        return ((Decision.Deny) d).code();
    }

    @Test
    void theRequestsOwnCallsAreAllowed() {
        RequestCapability request = mailBobAndPayOneIban();
        assertThat(request.capability().leaf().allowed()).hasSize(2);
        assertThat(moat.capabilities().during(request, () -> call("send_mail", "{\"to\":\"bob@example.com\"}")).allowed()).isTrue();
        assertThat(moat.capabilities().during(request, () -> call("pay", "{\"amount\":20,\"iban\":\"" + IBAN + "\"}")).allowed()).isTrue();
    }

    @Test
    void anotherDestinationAnotherToolAndAMissingArgumentAreDenied() {
        RequestCapability request = mailBobAndPayOneIban();
        moat.capabilities().during(request, () -> {
            // alice is allowed by the tool's own rule, but not by this request's
            Decision alice = call("send_mail", "{\"to\":\"alice@example.com\"}");
            assertThat(code(alice)).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
            assertThat(((Decision.Deny) alice).failure().detail()).contains("this request's rule");
            // an injected IBAN
            assertThat(code(call("pay", "{\"amount\":20,\"iban\":\"GB33BUKB20201555555555\"}"))).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
            // the request did not name the IBAN: fail closed
            assertThat(code(call("pay", "{\"amount\":20}"))).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
            // read_file is granted to the agent, but not to this request: the narrowed token refuses it
            assertThat(code(call("read_file", "{}"))).isEqualTo(ReasonCode.NOT_GRANTED);
            return null;
        });
    }

    @Test
    void aRequestRuleCannotWiden() {
        RequestCapability request = moat.capabilities().forRequest("assistant", null).tools("send_mail", "pay")
                .argument("send_mail", "to", ArgumentRule.oneOf("bob@example.com", "mallory@evil.example"))
                .argument("pay", "amount", ArgumentRule.range("0", "100000"))
                .build();
        moat.capabilities().during(request, () -> {
            assertThat(code(call("send_mail", "{\"to\":\"mallory@evil.example\"}"))).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
            assertThat(code(call("pay", "{\"amount\":9000}"))).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
            assertThat(call("send_mail", "{\"to\":\"bob@example.com\"}").allowed()).isTrue();
            return null;
        });
        // nor can the token: a tool whose resource the agent does not hold is refused when building
        ToolPolicy wire = ToolPolicy.forTool("wire").resource("tool://bank/wire").build();
        assertThatThrownBy(() -> moat.capabilities().forRequest("assistant", null).tool(wire).build())
                .isInstanceOf(dev.moat.token.AttenuationException.class);
    }

    @Test
    void otherThreadsAndLaterCallsAreUnaffected() throws Exception {
        RequestCapability request = mailBobAndPayOneIban();
        Decision elsewhere = moat.capabilities().during(request, () ->
                CompletableFuture.supplyAsync(() -> call("send_mail", "{\"to\":\"alice@example.com\"}")).join());
        assertThat(elsewhere.allowed()).isTrue();
        assertThat(call("read_file", "{}").allowed()).isTrue(); // after the request: the agent's own capability again
        assertThat(call("send_mail", "{\"to\":\"alice@example.com\"}").allowed()).isTrue();
    }

    @Test
    void unknownToolsAndRulesOnToolsOutsideTheRequestAreRefused() {
        assertThatThrownBy(() -> moat.capabilities().forRequest("assistant", null).tools("send_mial"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown tool 'send_mial'");
        assertThatThrownBy(() -> moat.capabilities().forRequest("assistant", null).tools("send_mail")
                .argument("pay", "iban", ArgumentRule.oneOf(IBAN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one of the request's tools");
        assertThatThrownBy(() -> moat.capabilities().forRequest("assistant", null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one tool");
        assertThatThrownBy(() -> moat.capabilities().forRequest("nobody", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverOutlivesItsParentAndExpires() {
        RequestCapability request = moat.capabilities().forRequest("assistant", null).tools("send_mail")
                .validFor(Duration.ofMinutes(1)).build();
        assertThat(request.capability().expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(2));
        assertThat(code(moat.capabilities().during(request, () -> call("send_mail", "{\"to\":\"bob@example.com\"}"))))
                .isEqualTo(ReasonCode.EXPIRED);
    }
}
