package dev.moat.agent.impl;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * LangChain4j's types, reached by name through the application's own class loader (the agent does
 * not link LangChain4j, so it works with the application's version). Accessors are resolved once
 * per class and cached.
 */
final class LangChain4jAccess {
    static final String REASON_CODE = "moat.reason_code";
    static final String STAGE = "moat.stage";
    private static final String RESULT = "dev.langchain4j.service.tool.ToolExecutionResult";

    private record RequestAccess(Method name, Method arguments) {}

    private record ResultAccess(Method builder, Method isError, Method resultText, Method attributes, Method build,
                                Method isErrorOf, Method textOf) {}

    private static final ClassValue<RequestAccess> REQUESTS = new ClassValue<>() {
        @Override
        protected RequestAccess computeValue(Class<?> type) {
            try {
                return new RequestAccess(type.getMethod("name"), type.getMethod("arguments"));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("unsupported LangChain4j ToolExecutionRequest: " + type.getName(), e);
            }
        }
    };

    private static final ClassValue<ResultAccess> RESULTS = new ClassValue<>() {
        @Override
        protected ResultAccess computeValue(Class<?> requestType) {
            try {
                Class<?> result = Class.forName(RESULT, false, requestType.getClassLoader());
                Method builder = result.getMethod("builder");
                Class<?> b = builder.getReturnType();
                return new ResultAccess(builder, b.getMethod("isError", boolean.class), b.getMethod("resultText", String.class),
                        b.getMethod("attributes", Map.class), b.getMethod("build"),
                        result.getMethod("isError"), result.getMethod("resultText"));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unsupported LangChain4j ToolExecutionResult", e);
            }
        }
    };

    private static final ClassValue<Method> CONTEXTS = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("interfaceName");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private static final ClassValue<Method> MEMORY_IDS = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("chatMemoryId");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private LangChain4jAccess() {}

    /** The chat memory id of an {@code InvocationContext} as a conversation id (when plain text, a number or a UUID), or {@code null}. */
    static String conversation(Object context) {
        if (context == null) {
            return null;
        }
        try {
            Method m = MEMORY_IDS.get(context.getClass());
            Object id = m == null ? null : m.invoke(context);
            return id instanceof String || id instanceof Number || id instanceof java.util.UUID ? String.valueOf(id) : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static String name(Object request) throws ReflectiveOperationException {
        return (String) REQUESTS.get(request.getClass()).name().invoke(request);
    }

    static String arguments(Object request) throws ReflectiveOperationException {
        return (String) REQUESTS.get(request.getClass()).arguments().invoke(request);
    }

    /** The AI-service interface of an {@code InvocationContext}, or {@code null}. */
    static String interfaceName(Object context) {
        if (context == null) {
            return null;
        }
        try {
            Method m = CONTEXTS.get(context.getClass());
            Object name = m == null ? null : m.invoke(context);
            return name instanceof String s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** An error {@code ToolExecutionResult} the model reads, with the decorator's attributes. */
    static Object errorResult(Object request, String text, Map<String, Object> attributes) throws ReflectiveOperationException {
        ResultAccess a = RESULTS.get(request.getClass());
        Object b = a.builder().invoke(null);
        a.isError().invoke(b, true);
        a.resultText().invoke(b, text);
        a.attributes().invoke(b, attributes);
        return a.build().invoke(b);
    }

    static boolean isError(Object request, Object result) throws ReflectiveOperationException {
        return (Boolean) RESULTS.get(request.getClass()).isErrorOf().invoke(result);
    }

    static String text(Object request, Object result) throws ReflectiveOperationException {
        return (String) RESULTS.get(request.getClass()).textOf().invoke(result);
    }
}
