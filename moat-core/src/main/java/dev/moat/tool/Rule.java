package dev.moat.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An argument rule on a tool method, with everything an entry of the policy file's
 * {@code tools.<name>.arguments} list can say: a {@link #path} into the arguments, the rules, and an
 * optional condition ({@link #whenPath} equals {@link #whenEquals}). Example: if {@code type} is
 * {@code external}, {@code recipient} must be one of two addresses:
 * <pre>{@code @Rule(path = "recipient", oneOf = {"a@partner.com", "b@partner.com"}, whenPath = "type", whenEquals = "external")}</pre>
 * Unset members (empty strings and arrays, {@code -1}, {@code false}) add no rule; at least one rule is required.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Rules.class)
public @interface Rule {
    /** The argument path ({@code recipient}, {@code recipients[*]}, {@code attachments[*].file_id}). */
    String path();

    String[] oneOf() default {};

    /** A fixed value (as {@link #oneOf} with one value). */
    String equalTo() default "";

    String[] noneOf() default {};

    String[] hostIn() default {};

    String pathUnder() default "";

    int maxLength() default -1;

    String matches() default "";

    String min() default "";

    String max() default "";

    boolean required() default false;

    boolean absent() default false;

    boolean nullable() default false;

    /** A budget cap on this number (decimal); empty: none. */
    String budgetTotal() default "";

    /** The budget's scope: {@code conversation}, {@code capability} or {@code agent}. */
    String budgetPer() default "conversation";

    /** The condition's path; empty: the rule always applies. */
    String whenPath() default "";

    /** The value the condition's path must have (by value for numbers). */
    String whenEquals() default "";
}
