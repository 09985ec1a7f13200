package dev.moat.sandbox;

/** How guest code runs. Fuel metering is part of the module's code, so it holds in both. */
public enum ExecutionMode {
    /** Chicory's interpreter: slow, no class generation. */
    INTERPRETER,
    /** Chicory's runtime compiler: the module is translated to JVM bytecode once and cached. */
    COMPILED
}
