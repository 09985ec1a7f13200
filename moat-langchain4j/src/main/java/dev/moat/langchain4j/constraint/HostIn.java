package dev.moat.langchain4j.constraint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The argument is an {@code http} or {@code https} URL whose host is one of these names (exact, case-insensitive) or matches a {@code *.example.com} entry (any subdomain, not the apex). URLs with user info are refused.
 * Checked by the guard after the PEP and before the tool runs; a violation is denied as
 * {@code argument_rejected} and audited. For list parameters every element is checked; a missing or
 * {@code null} argument is not checked (the tool then gets its declared default or {@code null}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface HostIn {
    String[] value();
}
