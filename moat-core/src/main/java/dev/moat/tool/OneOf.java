package dev.moat.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The argument must be one of these values: strings exactly, numbers by value ({@code "10"} admits
 * {@code 10}, {@code 10.0} and {@code 1e1}), booleans as {@code "true"}/{@code "false"}. One value fixes the argument.
 * Checked on the exact signed arguments after the PEP and before the tool runs; a violation is denied
 * as {@code argument_rejected} and audited. On a collection or array parameter the rule applies to
 * every element; {@link #at()} reaches inside the value instead, starting from the argument itself
 * ({@code "[*].file_id"}). A missing argument is
 * not judged (use {@link Required}); a JSON null is refused unless the parameter is {@link Nullable}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface OneOf {
    String[] value();

    /** A path inside the argument, relative to it ({@code "[*].file_id"}, {@code "address.host"}); empty: the argument itself. */
    String at() default "";
}
