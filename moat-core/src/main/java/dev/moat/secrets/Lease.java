package dev.moat.secrets;

/** A granted resolution: the value, for immediate injection inside this package only. */
final class Lease {
    private final SecretName name;
    private final SecretValue value;

    Lease(SecretName name, SecretValue value) {
        this.name = name;
        this.value = value;
    }

    SecretName name() {
        return name;
    }

    SecretValue value() {
        return value;
    }

    @Override
    public String toString() {
        return "Lease[" + name.hash() + "]";
    }
}
