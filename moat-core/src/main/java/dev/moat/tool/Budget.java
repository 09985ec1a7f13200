package dev.moat.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A cumulative cap on this number: the sum over allowed calls in one scope ({@link #per()}) may not
 * exceed {@link #total()}. The running sum is kept in this process (see {@link BudgetLedger}).
 * Checked on the exact signed arguments after the PEP and before the tool runs; a violation is denied
 * as {@code argument_rejected} and audited. On a collection or array parameter the rule applies to
 * every element; {@link #at()} reaches inside the value instead, starting from the argument itself
 * ({@code "[*].file_id"}). A missing argument is
 * not judged (use {@link Required}); a JSON null is refused unless the parameter is {@link Nullable}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Budget {
    /** The cap, as a decimal. */
    String total();

    /** {@code conversation}, {@code capability} or {@code agent}. */
    String per() default "conversation";

    /** A path inside the argument, relative to it ({@code "[*].file_id"}, {@code "address.host"}); empty: the argument itself. */
    String at() default "";
}
