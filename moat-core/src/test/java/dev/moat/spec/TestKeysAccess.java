package dev.moat.spec;

import dev.moat.TestKeys;

/** Raw (untagged) signatures with the deterministic test keys. */
final class TestKeysAccess {
    private TestKeysAccess() {}

    static byte[] signRaw(String name, byte[] message) {
        return TestKeys.key(name).signRaw(message);
    }
}
