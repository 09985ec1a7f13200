package dev.moat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.monitor.MutableClock;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import dev.moat.token.AttenuationException;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Capabilities issued and delegated at runtime, and per-user capabilities filled from templates. */
@Timeout(60)
class RuntimeCapabilitiesTest {
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    private final AgentKeypair admin = AgentKeypair.generate("admin");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private final AgentKeypair helper = AgentKeypair.generate("helper");
    private final MutableClock clock = new MutableClock(START);
    private Moat moat;

    @BeforeEach
    void start() {
        TokenChain chain = TokenChain.issue(admin, Grant.to(assistant.id()).clock(clock)
                .allow("tool://inbox/**", "read").allow("tool://send_email", "execute")
                .deny("tool://inbox/admin/**", "*").validFor(Duration.ofHours(8)).build());
        moat = Moat.builder().clock(clock).agent(admin).agent(assistant).agent(helper).trustRoot("admin")
                .capability("assistant", chain).inMemoryStores(AgentKeypair.generate("moat-audit")).build();
    }

    private Decision call(String agent, String resource, String action, CallContext ctx) {
        return moat.guard().check(ToolCall.builder(agent, resource, action).context(ctx).build());
    }

    private Grant.Builder grantTo(AgentKeypair who) {
        return Grant.to(who.id()).clock(clock).validFor(Duration.ofMinutes(10));
    }

    @Test
    void aRuntimeDelegationInstallsTheHelpersSignerAndIsAttenuated() {
        assertThat(call("helper", "tool://inbox/shared/a", "read", CallContext.NONE).allowed()).isFalse(); // nothing yet
        Capability c = moat.capabilities().delegate("assistant", "helper", grantTo(helper).allow("tool://inbox/shared/**", "read").build());
        assertThat(c.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(call("helper", "tool://inbox/shared/a", "read", CallContext.NONE).allowed()).isTrue();
        Decision outside = call("helper", "tool://inbox/private/a", "read", CallContext.NONE);
        assertThat(((Decision.Deny) outside).code()).isEqualTo(ReasonCode.NOT_GRANTED);
        // the parent's denial is carried over: the helper cannot read the admin's inbox either
        Capability wide = moat.capabilities().delegate("assistant", "helper", grantTo(helper).allow("tool://inbox/**", "read").build());
        assertThat(wide.leaf().denied()).isNotEmpty();
        assertThat(((Decision.Deny) call("helper", "tool://inbox/admin/keys", "read", CallContext.NONE)).code())
                .isEqualTo(ReasonCode.EXPLICITLY_DENIED);
        clock.advance(Duration.ofMinutes(11)); // short-lived: gone after its lifetime
        assertThat(((Decision.Deny) call("helper", "tool://inbox/shared/a", "read", CallContext.NONE)).code()).isEqualTo(ReasonCode.EXPIRED);
    }

    @Test
    void runtimeIssuanceRefusesBroadeningLongLifetimesAndForeignSubjects() {
        assertThatThrownBy(() -> moat.capabilities().delegate("assistant", "helper",
                grantTo(helper).allow("tool://**", "read").build()))
                .isInstanceOf(AttenuationException.class).hasMessageContaining("scope");
        assertThatThrownBy(() -> moat.capabilities().delegate("assistant", "helper",
                grantTo(helper).allow("tool://send_email", "read", "execute").build()))
                .isInstanceOf(AttenuationException.class);
        assertThatThrownBy(() -> moat.capabilities().delegate("assistant", "helper",
                Grant.to(helper.id()).clock(clock).allow("tool://inbox/a", "read").validFor(Duration.ofHours(2)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> moat.capabilities().delegate("assistant", "helper",
                grantTo(assistant).allow("tool://inbox/a", "read").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not to 'helper'");
        assertThatThrownBy(() -> moat.capabilities().delegate("helper", "assistant",
                grantTo(assistant).allow("tool://inbox/a", "read").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no capability");
        // nothing was installed by the refusals
        assertThat(moat.guard().agents()).doesNotContain("helper");
        // a trusted root whose key is held can issue at runtime, audited
        long before = moat.audit().size();
        moat.capabilities().issue("admin", "helper", grantTo(helper).allow("tool://calendar/**", "read").build());
        assertThat(call("helper", "tool://calendar/today", "read", CallContext.NONE).allowed()).isTrue();
        assertThat(moat.audit().size()).isGreaterThan(before);
    }

    @Test
    void perUserCapabilitiesKeepEachUserToTheirOwnResources() {
        moat.capabilities().scopeUsers("assistant", UserScope.of("tool://inbox/{user}/**", "read").validFor(Duration.ofMinutes(15)));
        assertThat(call("assistant", "tool://inbox/alice/msg1", "read", CallContext.user("alice")).allowed()).isTrue();
        assertThat(call("assistant", "tool://inbox/bob/msg1", "read", CallContext.user("bob")).allowed()).isTrue();
        Decision cross = call("assistant", "tool://inbox/bob/msg1", "read", CallContext.user("alice"));
        assertThat(((Decision.Deny) cross).code()).isEqualTo(ReasonCode.NOT_GRANTED);
        // tools outside the template are not reachable per user, though the agent holds them
        assertThat(call("assistant", "tool://send_email", "execute", CallContext.user("alice")).allowed()).isFalse();
        // the agent's denials still hold inside a user's scope
        assertThat(((Decision.Deny) call("assistant", "tool://inbox/admin/x", "read", CallContext.user("admin"))).code())
                .isEqualTo(ReasonCode.EXPLICITLY_DENIED);
        // a call without a user is denied for a per-user agent
        Decision none = call("assistant", "tool://inbox/alice/msg1", "read", CallContext.NONE);
        assertThat(((Decision.Deny) none).stage()).isEqualTo(Stage.CAPABILITY);
        assertThat(((Decision.Deny) none).code()).isEqualTo(ReasonCode.INVALID_RESOURCE);
    }

    @Test
    void templateInjectionIsRefusedWithATypedDenial() {
        moat.capabilities().scopeUsers("assistant", UserScope.of("tool://inbox/{user}/**", "read"));
        java.util.Set<String> details = new java.util.HashSet<>();
        for (String evil : List.of("bob/..", "..", ".", ".hidden", "a..b", "alice/../bob", "*", "**", "bob/*", "%2e%2e",
                "", "ali\u200bce", "alice\n", "alice\u0000", "al ice", "\u0430lice", "bob\\x", "x:y", "é",
                "a".repeat(129), "alice\u202e")) {
            Decision d = call("assistant", "tool://inbox/bob/msg1", "read", CallContext.user(evil));
            assertThat(d).as("user value %s", evil.codePoints().mapToObj(Integer::toHexString).toList()).isInstanceOf(Decision.Deny.class);
            Decision.Deny deny = (Decision.Deny) d;
            assertThat(deny.stage()).isEqualTo(Stage.CAPABILITY);
            assertThat(deny.code()).isEqualTo(ReasonCode.INVALID_RESOURCE);
            details.add(deny.failure().detail());
        }
        assertThat(details).hasSize(1); // one fixed reason: the value is never echoed into logs or replies
        assertThat(UserScope.checkUser("alice.smith+test@example.com").isOk()).isTrue();
        assertThatThrownBy(() -> UserScope.of("tool://inbox/x{user}/**", "read")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserScope.of("tool://inbox/{user}x", "read")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTemplateBroaderThanTheAgentIsDeniedAndPerUserCapabilitiesAreRemadeAfterExpiry() {
        moat.capabilities().scopeUsers("assistant", UserScope.of("tool://files/{user}/**", "read"));
        Decision d = call("assistant", "tool://files/alice/a", "read", CallContext.user("alice"));
        assertThat(((Decision.Deny) d).code()).isEqualTo(ReasonCode.BROADENED);

        moat.capabilities().scopeUsers("assistant", UserScope.of("tool://inbox/{user}/**", "read").validFor(Duration.ofMinutes(10)).maxUsers(2));
        Checked<Capability> first = moat.capabilities().forUser("assistant", "alice");
        assertThat(first.orThrow().expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(moat.capabilities().forUser("assistant", "alice").orThrow().chain()).isSameAs(first.orThrow().chain()); // cached
        for (String u : List.of("bob", "carol", "dave")) { // more users than kept: the oldest are made again on use
            assertThat(call("assistant", "tool://inbox/" + u + "/m", "read", CallContext.user(u)).allowed()).isTrue();
        }
        assertThat(call("assistant", "tool://inbox/alice/m", "read", CallContext.user("alice")).allowed()).isTrue();
        for (int i = 0; i < 6; i++) { // an hour in steps: re-made before each expiry, never denied
            clock.advance(Duration.ofSeconds(570));
            assertThat(call("assistant", "tool://inbox/alice/m", "read", CallContext.user("alice")).allowed()).isTrue();
        }
        assertThat(moat.capabilities().forUser("assistant", "alice").orThrow().chain()).isNotSameAs(first.orThrow().chain());
        assertThat(moat.capabilities().forUser("assistant", "../x").isOk()).isFalse();
    }

    @Test
    void aCapabilityNarrowedToOneRequestSignsOnlyThatRequestsCalls() {
        Capabilities caps = moat.capabilities();
        Capability one = caps.narrow("assistant", null, grantTo(assistant).allow("tool://inbox/a/1", "read").build());
        assertThat(caps.during(one, () -> call("assistant", "tool://inbox/a/1", "read", CallContext.NONE).allowed())).isTrue();
        Decision other = caps.during(one, () -> call("assistant", "tool://inbox/a/2", "read", CallContext.NONE));
        assertThat(((Decision.Deny) other).code()).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(call("assistant", "tool://inbox/a/2", "read", CallContext.NONE).allowed()).isTrue(); // outside: the agent's own
        assertThatThrownBy(() -> caps.narrow("assistant", null, grantTo(assistant).allow("tool://admin/x", "read").build()))
                .isInstanceOf(AttenuationException.class);

        caps.scopeUsers("assistant", UserScope.of("tool://inbox/{user}/**", "read"));
        Capability alices = caps.narrow("assistant", "alice", grantTo(assistant).allow("tool://inbox/alice/1", "read").build());
        assertThat(caps.during(alices, () -> call("assistant", "tool://inbox/alice/1", "read", CallContext.user("alice")).allowed())).isTrue();
        Decision forBob = caps.during(alices, () -> call("assistant", "tool://inbox/alice/1", "read", CallContext.user("bob")));
        assertThat(((Decision.Deny) forBob).code()).isEqualTo(ReasonCode.NOT_SUBJECT);
        // narrowed from Alice's capability: Bob's inbox cannot even be asked for
        assertThatThrownBy(() -> caps.narrow("assistant", "alice", grantTo(assistant).allow("tool://inbox/bob/1", "read").build()))
                .isInstanceOf(AttenuationException.class);
        assertThatThrownBy(() -> caps.narrow("assistant", null, grantTo(assistant).allow("tool://inbox/alice/1", "read").build()))
                .isInstanceOf(IllegalArgumentException.class);
        Decision unscoped = caps.during(one, () -> call("assistant", "tool://inbox/a/1", "read", CallContext.user("a")));
        assertThat(((Decision.Deny) unscoped).code()).isEqualTo(ReasonCode.NOT_SUBJECT); // made before the agent went per user
    }
}
