package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link PolicyRecords} against the records' canonical constructors: every record a policy can
 * hold (walked from {@link PolicyDocument} through its component types) is listed, and each
 * argument lands in its own component (one component set at a time, so two swapped arguments of
 * the same type are caught).
 */
class PolicyRecordsTest {

    @Test
    void everyPolicyRecordIsBuiltAsItsCanonicalConstructorBuildsIt() throws Exception {
        Set<Class<?>> records = reachableRecords();
        assertThat(records).hasSizeGreaterThan(20).contains(PolicyDocument.class, ToolSection.ArgumentSpec.class);
        for (Class<?> type : records) {
            RecordComponent[] components = type.getRecordComponents();
            Constructor<?> canonical = type.getDeclaredConstructor(
                    java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            assertThat(PolicyRecords.construct(type, new Object[components.length]))
                    .as(type.getName() + " with no values").isEqualTo(canonical.newInstance(new Object[components.length]));
            for (int i = 0; i < components.length; i++) {
                Object[] args = new Object[components.length];
                args[i] = probe(components[i].getType(), i);
                Object built = PolicyRecords.construct(type, args.clone());
                assertThat(built).as(type.getName() + "." + components[i].getName()).isEqualTo(canonical.newInstance(args));
                assertThat(components[i].getAccessor().invoke(built)).isEqualTo(args[i]);
            }
        }
    }

    @Test
    void aValueOfTheWrongTypeOrATypeNotListedIsRefused() {
        assertThatThrownBy(() -> PolicyRecords.construct(PolicyDocument.Replay.class, new Object[] {42}))
                .isInstanceOf(ClassCastException.class);
        assertThatThrownBy(() -> PolicyRecords.construct(String.class, new Object[0]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a policy record: java.lang.String");
    }

    /** A value of {@code type} that differs from every other component's probe. */
    private static Object probe(Class<?> type, int i) {
        if (type == String.class) {
            return "value-" + i;
        }
        if (type == Integer.class) {
            return 1000 + i;
        }
        if (type == Long.class) {
            return 2000L + i;
        }
        if (type == Double.class) {
            return i + 0.5;
        }
        if (type == Boolean.class) {
            return Boolean.TRUE;
        }
        if (type == List.class) {
            return List.of("item-" + i);
        }
        if (type == Map.class) {
            return Map.of("key-" + i, "value");
        }
        if (type == com.fasterxml.jackson.databind.JsonNode.class) {
            return JsonNodeFactory.instance.textNode("node-" + i);
        }
        if (type.isRecord()) {
            Object[] args = new Object[type.getRecordComponents().length];
            args[0] = probe(type.getRecordComponents()[0].getType(), i); // two components of one record type differ
            return PolicyRecords.construct(type, args);
        }
        throw new AssertionError("no probe for " + type);
    }

    private static Set<Class<?>> reachableRecords() {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Type> todo = new ArrayDeque<>(List.of(PolicyDocument.class));
        while (!todo.isEmpty()) {
            Type t = todo.poll();
            if (t instanceof ParameterizedType p) {
                todo.addAll(List.of(p.getActualTypeArguments()));
            } else if (t instanceof Class<?> c && c.isRecord() && seen.add(c)) {
                for (RecordComponent component : c.getRecordComponents()) {
                    todo.add(component.getGenericType());
                }
            }
        }
        return seen;
    }
}
