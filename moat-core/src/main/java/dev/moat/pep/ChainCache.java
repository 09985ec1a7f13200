package dev.moat.pep;

import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.token.RevocationCheck;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers verified chains by their hash so a warm call skips the signature walk. An entry is
 * used only while the chain is unexpired (checked on every hit) and the revocation generation is
 * unchanged (any revocation or trust change empties it). Bounded LRU; thread-safe.
 */
final class ChainCache {
    private final TokenVerifier verifier;
    private final RevocationCheck revocation;
    private final int capacity;
    private final Map<ByteBuffer, Entry> entries;

    private record Entry(VerifiedCapability capability, long generation) {}

    ChainCache(TokenVerifier verifier, RevocationCheck revocation, int capacity) {
        this.verifier = verifier;
        this.revocation = revocation;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ChainCache.Entry> eldest) {
                return size() > ChainCache.this.capacity;
            }
        };
    }

    Checked<VerifiedCapability> verify(TokenChain chain) {
        ByteBuffer key = ByteBuffer.wrap(chain.hash());
        long generation = revocation.generation();
        Instant now = verifier.clock().instant();
        if (capacity > 0) {
            Entry e;
            synchronized (entries) {
                e = entries.get(key);
            }
            if (e != null && e.generation == generation && now.isBefore(e.capability.notAfter())) {
                Failure f = verifier.recheck(e.capability);
                if (f == null) {
                    return Checked.ok(e.capability);
                }
                return Checked.failed(f);
            }
        }
        Checked<VerifiedCapability> result = verifier.verify(chain);
        if (capacity > 0 && result instanceof Checked.Ok<VerifiedCapability> ok) {
            synchronized (entries) {
                entries.put(key, new Entry(ok.value(), generation));
            }
        }
        return result;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
