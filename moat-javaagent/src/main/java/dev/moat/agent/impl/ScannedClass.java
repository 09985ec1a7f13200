package dev.moat.agent.impl;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * What the agent needs to know of a class file to decide what to guard, read in one pass over its
 * bytes (Byte Buddy's bundled ASM; no class is loaded): its name, access flags, supertypes and, per
 * method, the tool annotation and its {@code name}, the parameter names and the size of the local
 * variable array (the weaver keeps its scope in the first free slot). A malformed class file throws.
 */
record ScannedClass(String name, int access, String superName, List<String> interfaces, List<Method> methods) {
    static final String LANGCHAIN4J_TOOL_DESCRIPTOR = "Ldev/langchain4j/agent/tool/Tool;";
    static final String SPRING_AI_TOOL_DESCRIPTOR = "Lorg/springframework/ai/tool/annotation/Tool;";

    /**
     * A declared method. {@code tool} is {@code null} when the method carries neither {@code @Tool},
     * else the annotation's {@code name} ({@code ""} when unset); {@code parameters} are the names of
     * the {@code MethodParameters} attribute, {@code arg0}, {@code arg1}, ... without it.
     */
    record Method(int access, String name, String descriptor, String tool, List<String> parameters, int maxLocals) {
        boolean is(int flag) {
            return (access & flag) != 0;
        }

        /** A method with a body of its own: not a constructor or initialiser, not abstract, native, bridge or synthetic. */
        boolean instrumentable() {
            return !name.startsWith("<") && !is(Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC);
        }
    }

    /** The dotted class name. */
    String typeName() {
        return name.replace('/', '.');
    }

    boolean is(int flag) {
        return (access & flag) != 0;
    }

    static ScannedClass of(byte[] classFile) {
        Scanner scanner = new Scanner();
        new ClassReader(classFile).accept(scanner, ClassReader.SKIP_FRAMES);
        return new ScannedClass(scanner.name, scanner.access, scanner.superName, scanner.interfaces, List.copyOf(scanner.methods));
    }

    private static final class Scanner extends ClassVisitor {
        String name;
        int access;
        String superName;
        List<String> interfaces = List.of();
        final List<Method> methods = new ArrayList<>();

        Scanner() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name;
            this.access = access;
            this.superName = superName;
            this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodScanner(access, name, descriptor, methods);
        }
    }

    private static final class MethodScanner extends MethodVisitor {
        private final int access;
        private final String name;
        private final String descriptor;
        private final List<Method> into;
        private final List<String> parameters = new ArrayList<>();
        private String tool;
        private int maxLocals;

        MethodScanner(int access, String name, String descriptor, List<Method> into) {
            super(Opcodes.ASM9);
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
            this.into = into;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
            if (!annotation.equals(LANGCHAIN4J_TOOL_DESCRIPTOR) && !annotation.equals(SPRING_AI_TOOL_DESCRIPTOR)) {
                return null;
            }
            tool = "";
            return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String element, Object value) {
                    if ("name".equals(element) && value instanceof String s) {
                        tool = s;
                    }
                }
            };
        }

        @Override
        public void visitParameter(String parameter, int parameterAccess) {
            parameters.add(parameter);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            this.maxLocals = maxLocals;
        }

        @Override
        public void visitEnd() {
            int count = net.bytebuddy.jar.asm.Type.getArgumentTypes(descriptor).length;
            List<String> names = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String n = i < parameters.size() ? parameters.get(i) : null;
                names.add(n == null ? "arg" + i : n);
            }
            into.add(new Method(access, name, descriptor, tool, List.copyOf(names), maxLocals));
        }
    }
}
