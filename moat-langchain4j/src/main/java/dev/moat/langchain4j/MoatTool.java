package dev.moat.langchain4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Moat settings for a LangChain4j {@code @Tool} method. Without it a tool is still guarded, as
 * resource {@code tool://<tool name>} with action {@code execute}. Argument rules go on the
 * parameters ({@code dev.moat.langchain4j.constraint}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MoatTool {
    /** The resource the capability must grant; empty means {@code tool://<tool name>}. */
    String resource() default "";

    /** The action the capability must grant. */
    String action() default "execute";

    /** Ask the configured {@link Approver} before every call; the approval is bound to the arguments. */
    boolean approval() default false;

    /**
     * Class-path resource of a WebAssembly module that implements this tool in the Moat sandbox.
     * Not wired yet in this version: declaring it makes {@link MoatTools} refuse the tool rather
     * than run it unconfined.
     */
    String sandbox() default "";

    /**
     * Names of the secrets this tool needs, to be injected by handle at the point of use. Not wired
     * yet in this version: declaring any makes {@link MoatTools} refuse the tool.
     */
    String[] secrets() default {};
}
