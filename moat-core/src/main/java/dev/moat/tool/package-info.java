/**
 * Tool rules, framework-neutral: how one tool call maps to a resource and action, and the rules
 * its signed arguments must keep ({@link dev.moat.tool.ToolPolicy}, {@link dev.moat.tool.rule.ArgumentRule}),
 * per tool name or glob ({@link dev.moat.tool.ToolRules}, the policy file's {@code tools:} section),
 * and the annotations that declare the same rules on Java tool methods ({@link dev.moat.tool.MoatTool},
 * {@link dev.moat.tool.HostIn}, ...). Every adapter (LangChain4j, Spring AI, the Java agent, the
 * MCP proxy, the CrewAI sidecar) checks tool calls with this one implementation.
 */
package dev.moat.tool;
