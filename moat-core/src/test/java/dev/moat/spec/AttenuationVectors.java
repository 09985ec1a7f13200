package dev.moat.spec;

import static dev.moat.spec.ChainVectors.input;
import static dev.moat.spec.ChainVectors.wire;
import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.bobToCarol;
import static dev.moat.spec.Fixture.minutes;
import static dev.moat.spec.Fixture.rootToAlice;
import static dev.moat.spec.V.broadened;
import static dev.moat.spec.V.vector;

import dev.moat.token.ResourceLimits;
import dev.moat.token.Scope;
import dev.moat.token.TokenForge.Claims;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every kind of broadening, each hand-signed by the legitimate issuer (alice, the parent's
 * subject) so that only the attenuation check can catch it.
 */
final class AttenuationVectors {
    private AttenuationVectors() {}

    private static Map<String, Object> child(String name, String rule, String description, Consumer<Claims> change) {
        Claims c = aliceToBob();
        change.accept(c);
        return vector("attenuation/" + name, "chain", description, input(wire(rootToAlice(), c)), broadened(1, rule));
    }

    private static ResourceLimits.Builder limits() {
        return ResourceLimits.builder().maxFuel(500_000L).maxMemoryBytes(32L << 20).maxWallTime(Duration.ofSeconds(10))
                .allowHosts(List.of("api.example.com")).readPaths(List.of("/data/reports")).writePaths(List.of("/data/out/bob"));
    }

    static List<Map<String, Object>> all() {
        List<Map<String, Object>> v = new ArrayList<>();
        v.add(child("scope-new-resource", "scope", "The child grants tool://admin/** which no parent scope covers.",
                c -> c.allow("tool://admin/**", "read")));
        v.add(child("scope-wider-pattern", "scope", "The child widens tool://*/read to tool://**.",
                c -> c.allow("tool://**", "read")));
        v.add(child("scope-other-scheme", "scope", "The child grants file:///etc/** outside the parent's file:///data/**.",
                c -> c.allow("file:///etc/**", "read")));
        v.add(child("actions-extra", "actions", "The child adds write to tool://search, which the parent grants for execute only.",
                c -> c.allow("tool://search", "execute", "write")));
        v.add(child("actions-wildcard", "actions", "The child turns read on tool://mail/read into '*'.",
                c -> c.allow("tool://mail/read", "*")));
        v.add(child("denial-dropped", "denials", "The child drops the parent's denial of tool://pay/admin.",
                c -> c.deny.removeIf(s -> s.resource().text().equals("tool://pay/admin"))));
        v.add(child("denial-narrowed", "denials", "The child narrows the denial of tool://pay/admin from '*' to execute only.",
                c -> c.deny.replaceAll(s -> s.resource().text().equals("tool://pay/admin") ? Scope.of("tool://pay/admin", "execute") : s)));
        v.add(child("limit-fuel-looser", "limit.fuel", "The child raises max fuel above the parent's 1 000 000.",
                c -> c.limits = limits().maxFuel(2_000_000L).build()));
        v.add(child("limit-fuel-unlimited", "limit.fuel", "The child removes the fuel limit (unlimited is looser than any number).",
                c -> c.limits = limits().maxFuel(null).build()));
        v.add(child("limit-memory-looser", "limit.memory", "The child raises memory above the parent's 64 MiB.",
                c -> c.limits = limits().maxMemoryBytes(128L << 20).build()));
        v.add(child("limit-wall-time-looser", "limit.wall_time", "The child raises wall time above the parent's 30 s.",
                c -> c.limits = limits().maxWallTime(Duration.ofSeconds(31)).build()));
        v.add(child("limit-hosts-new", "limit.hosts", "The child allows egress to evil.example.com.",
                c -> c.limits = limits().allowHosts(List.of("evil.example.com")).build()));
        v.add(child("limit-hosts-wildcard", "limit.hosts", "The child widens *.example.org to *.org.",
                c -> c.limits = limits().allowHosts(List.of("*.org")).build()));
        v.add(child("limit-fs-read", "limit.fs_read", "The child reads /etc, outside the parent's /data.",
                c -> c.limits = limits().readPaths(List.of("/etc")).build()));
        v.add(child("limit-fs-write", "limit.fs_write", "The child writes /data, above the parent's /data/out.",
                c -> c.limits = limits().writePaths(List.of("/data")).build()));
        v.add(child("expiry-later", "expiry", "The child expires one minute after its parent.",
                c -> c.exp = minutes(24 * 60 + 1)));
        v.add(child("issued-before-parent", "issued_at", "The child is issued before its parent.",
                c -> c.iat = minutes(-61)));
        Claims noNet = aliceToBob();
        noNet.limits = limits().allowHosts(null).build();
        Claims reNet = bobToCarol();
        reNet.limits = ResourceLimits.builder().maxFuel(250_000L).maxMemoryBytes(16L << 20).maxWallTime(Duration.ofSeconds(5))
                .allowHosts(List.of("api.example.com")).build();
        v.add(vector("attenuation/limit-network-reenabled", "chain",
                "alice -> bob forbids the network; bob -> carol allows it again.",
                input(wire(rootToAlice(), noNet, reNet)), broadened(2, "limit.network")));
        return v;
    }
}
