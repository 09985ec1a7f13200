/**
 * The argument rules themselves, as values: where a rule looks ({@link dev.moat.tool.rule.ArgumentPath}),
 * what it requires ({@link dev.moat.tool.rule.ArgumentRule}, a sealed set of records), when it
 * applies ({@link dev.moat.tool.rule.Condition}) and the one builder that YAML entries and
 * annotations both go through ({@link dev.moat.tool.rule.PathRules#on}). Depends only on
 * {@code dev.moat.json}, so the policy file's validation uses exactly these rules.
 */
package dev.moat.tool.rule;
