package dev.moat.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Moat settings for a tool method (a LangChain4j or Spring AI {@code @Tool} method). Without it a
 * tool is still guarded, as resource {@code tool://<tool name>} with action {@code execute}.
 * Argument rules go on the parameters ({@link HostIn}, {@link OneOf}, ...) or, for conditions and
 * paths across arguments, on the method ({@link Rule}). Framework-neutral: read by
 * {@link ToolAnnotations} for every adapter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MoatTool {
    /** The resource the capability must grant; empty means {@code tool://<tool name>}. */
    String resource() default "";

    /** The action the capability must grant. */
    String action() default "execute";

    /** Ask the configured approver before every call; the approval is bound to the arguments. */
    boolean approval() default false;

    /**
     * Class-path resource of a WebAssembly (WASI preview 1) module that implements this tool: the
     * module runs in Moat's sandbox under the capability's limits (fuel, memory, wall time, no
     * filesystem or network unless granted), with the signed JSON arguments on stdin; its stdout
     * is the tool result and the Java method body is never called. A missing resource is an error
     * when the tools are built.
     */
    String sandbox() default "";

    /**
     * Names of the secrets this tool needs (declared in the secret proxy). For each call, after the
     * checks, a handle to each is issued to the calling agent (no grant: the call is denied); the
     * handles are revoked when the call ends. The guard must have a secret proxy.
     */
    String[] secrets() default {};
}
