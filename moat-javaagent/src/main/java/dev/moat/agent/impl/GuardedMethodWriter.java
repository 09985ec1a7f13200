package dev.moat.agent.impl;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites one guarded method so that the bridge decides every call before the body runs and
 * records its outcome. The woven method has the shape
 * <pre>{@code
 * Object scope = MoatBridge.enterX(...);          // throws the denial: the body never runs
 * [ToolService: if (scope instanceof Denial) return (R) MoatBridge.exitToolService(scope, null, null);]
 * try {
 *     ...original body; before each return:  s = scope; scope = null; [r =] MoatBridge.exitX(s, r, null)
 * } catch (Throwable t) {                          // after the method's own handlers
 *     if (scope != null) MoatBridge.exitX(scope, null, t);
 *     throw t;
 * }
 * }</pre>
 * Nothing is ever suppressed: the handler rethrows, and an exception from the bridge propagates.
 * The scope is cleared before the exit at a return, so an exit that throws is not recorded twice.
 * The class format does not change (no member is added), so loaded classes can be retransformed.
 *
 * <p>The scope lives in the first local slot the original code does not use ({@code maxLocals});
 * every stack map frame of the body is extended with it, and the two frames the woven code needs
 * declare the other locals {@code TOP}, so no assumption is made about the body's own locals.
 * Before class file version 50 there are no frames to write.
 */
final class GuardedMethodWriter extends MethodVisitor {
    /** Which bridge entry the method calls. */
    enum Hook {
        /** LangChain4j's {@code ToolService.executeWithErrorHandling(request, executor, context, ...)}: a denial skips the body. */
        TOOL_SERVICE("enterToolService", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                "exitToolService", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;"),
        /** Spring AI's {@code ToolCallback.call(input[, context])}. */
        TOOL_CALLBACK("enterToolCallback", "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;",
                "exitToolCallback", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)V"),
        /** A {@code @Tool} method or a configured method: its key and all its arguments. */
        METHOD("enterMethod", "(Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/Object;",
                "exitMethod", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)V");

        final String enter;
        final String enterDescriptor;
        final String exit;
        final String exitDescriptor;

        Hook(String enter, String enterDescriptor, String exit, String exitDescriptor) {
            this.enter = enter;
            this.enterDescriptor = enterDescriptor;
            this.exit = exit;
            this.exitDescriptor = exitDescriptor;
        }

        boolean replacesResult() {
            return this == TOOL_SERVICE;
        }
    }

    static final String BRIDGE = "dev/moat/agent/bootstrap/MoatBridge";
    static final String DENIAL = "dev/moat/agent/bootstrap/Denial";
    private static final String OBJECT = "java/lang/Object";
    private static final String THROWABLE = "java/lang/Throwable";

    private final Hook hook;
    private final String owner;
    private final int access;
    private final String descriptor;
    private final String key;
    private final int scope;
    private final boolean frames;
    private final Type returnType;
    private final Label tryStart = new Label();
    private final Label tryEnd = new Label();
    private final Label handler = new Label();
    private boolean begun;

    /**
     * @param owner      the internal name of the class
     * @param maxLocals  the original method's local variable array size: the scope's slot
     * @param frames     whether the class file has stack map frames (version 50 and later)
     * @param key        the target key passed to {@code enterMethod} ({@link Hook#METHOD} only)
     */
    GuardedMethodWriter(MethodVisitor out, Hook hook, String owner, int access, String descriptor, int maxLocals,
                        boolean frames, String key) {
        super(Opcodes.ASM9, out);
        this.hook = hook;
        this.owner = owner;
        this.access = access;
        this.descriptor = descriptor;
        this.key = key;
        this.scope = maxLocals;
        this.frames = frames;
        this.returnType = Type.getReturnType(descriptor);
    }

    // The method's own exception table entries are visited before its first instruction; the woven
    // handler is declared after them, so the body's own handlers keep precedence.
    private void begin() {
        if (begun) {
            return;
        }
        begun = true;
        super.visitTryCatchBlock(tryStart, tryEnd, handler, THROWABLE);
        enter();
        super.visitVarInsn(Opcodes.ASTORE, scope);
        if (hook == Hook.TOOL_SERVICE) {
            Label body = new Label();
            super.visitVarInsn(Opcodes.ALOAD, scope);
            super.visitTypeInsn(Opcodes.INSTANCEOF, DENIAL);
            super.visitJumpInsn(Opcodes.IFEQ, body);
            super.visitVarInsn(Opcodes.ALOAD, scope);
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook.exit, hook.exitDescriptor, false);
            super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
            super.visitInsn(Opcodes.ARETURN);
            super.visitLabel(body);
            if (frames) {
                Object[] locals = entryLocals();
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
            }
            super.visitInsn(Opcodes.NOP); // keeps a frame the body may have at its first instruction apart from this one
        }
        super.visitLabel(tryStart);
    }

    private void enter() {
        Type[] arguments = Type.getArgumentTypes(descriptor);
        int first = (access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        switch (hook) {
            case TOOL_SERVICE -> {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitVarInsn(Opcodes.ALOAD, 1);
                super.visitVarInsn(Opcodes.ALOAD, 2);
            }
            case TOOL_CALLBACK -> {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitVarInsn(Opcodes.ALOAD, 1);
            }
            case METHOD -> {
                super.visitLdcInsn(key);
                push(arguments.length);
                super.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
                int slot = first;
                for (int i = 0; i < arguments.length; i++) {
                    super.visitInsn(Opcodes.DUP);
                    push(i);
                    super.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), slot);
                    box(arguments[i]);
                    super.visitInsn(Opcodes.AASTORE);
                    slot += arguments[i].getSize();
                }
            }
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook.enter, hook.enterDescriptor, false);
    }

    @Override
    public void visitInsn(int opcode) {
        begin();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            exitBeforeReturn(opcode);
        }
        super.visitInsn(opcode);
    }

    /** Stack before: [..., result] (nothing for {@code void}); after: the same, the result replaced for ToolService. */
    private void exitBeforeReturn(int opcode) {
        if (opcode == Opcodes.RETURN) {
            takeScope();
            super.visitInsn(Opcodes.ACONST_NULL);
        } else if (hook.replacesResult()) {
            takeScope();                                   // [r, s]
            super.visitInsn(Opcodes.SWAP);                 // [s, r]
        } else {
            super.visitInsn(returnType.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP);
            box(returnType);                               // [r, boxed]
            takeScope();                                   // [r, boxed, s]
            super.visitInsn(Opcodes.SWAP);                 // [r, s, boxed]
        }
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook.exit, hook.exitDescriptor, false);
        if (hook.replacesResult()) {
            super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
        }
    }

    /** Pushes the scope and clears its slot. */
    private void takeScope() {
        super.visitVarInsn(Opcodes.ALOAD, scope);
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitVarInsn(Opcodes.ASTORE, scope);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        begin();
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("frames must be expanded"); // the reader runs with EXPAND_FRAMES
        }
        List<Object> locals = new ArrayList<>(numLocal + 8);
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
            locals.add(local[i]);
            slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < scope; slots++) {
            locals.add(Opcodes.TOP);
        }
        locals.add(OBJECT);
        super.visitFrame(type, locals.size(), locals.toArray(), numStack, stack);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        begin();
        super.visitLabel(tryEnd);
        super.visitLabel(handler);
        Object[] locals = handlerLocals();
        Object[] thrown = {THROWABLE};
        if (frames) {
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, thrown);
        }
        Label rethrow = new Label();
        super.visitVarInsn(Opcodes.ALOAD, scope);          // [t, s]
        super.visitJumpInsn(Opcodes.IFNULL, rethrow);      // [t]
        super.visitInsn(Opcodes.DUP);                      // [t, t]
        super.visitVarInsn(Opcodes.ALOAD, scope);          // [t, t, s]
        super.visitInsn(Opcodes.SWAP);                     // [t, s, t]
        super.visitInsn(Opcodes.ACONST_NULL);              // [t, s, t, null]
        super.visitInsn(Opcodes.SWAP);                     // [t, s, null, t]
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook.exit, hook.exitDescriptor, false);
        if (hook.replacesResult()) {
            super.visitInsn(Opcodes.POP);
        }
        super.visitLabel(rethrow);
        if (frames) {
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, thrown);
        }
        super.visitInsn(Opcodes.ATHROW);
        // the prologue holds at most 6 values (key, array, array, index, a long); a return's exit adds at most 4
        super.visitMaxs(Math.max(maxStack + 4, 8), scope + 1);
    }

    /** Every slot below the scope {@code TOP}, the scope an object. */
    private Object[] handlerLocals() {
        Object[] locals = new Object[scope + 1];
        java.util.Arrays.fill(locals, Opcodes.TOP);
        locals[scope] = OBJECT;
        return locals;
    }

    /** The locals at entry ({@code this} and the parameters, by type), padded with {@code TOP}, then the scope. */
    private Object[] entryLocals() {
        List<Object> locals = new ArrayList<>();
        int slots = 0;
        if ((access & Opcodes.ACC_STATIC) == 0) {
            locals.add(owner);
            slots++;
        }
        for (Type t : Type.getArgumentTypes(descriptor)) {
            locals.add(frameType(t));
            slots += t.getSize();
        }
        for (; slots < scope; slots++) {
            locals.add(Opcodes.TOP);
        }
        locals.add(OBJECT);
        return locals.toArray();
    }

    private static Object frameType(Type t) {
        return switch (t.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.LONG -> Opcodes.LONG;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            default -> t.getInternalName();
        };
    }

    private void box(Type t) {
        String wrapper = switch (t.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.BYTE -> "java/lang/Byte";
            case Type.CHAR -> "java/lang/Character";
            case Type.SHORT -> "java/lang/Short";
            case Type.INT -> "java/lang/Integer";
            case Type.FLOAT -> "java/lang/Float";
            case Type.LONG -> "java/lang/Long";
            case Type.DOUBLE -> "java/lang/Double";
            default -> null;
        };
        if (wrapper != null) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf", "(" + t.getDescriptor() + ")L" + wrapper + ";", false);
        }
    }

    private void push(int value) {
        if (value <= 5) {
            super.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value <= Byte.MAX_VALUE) {
            super.visitIntInsn(Opcodes.BIPUSH, value);
        } else {
            super.visitIntInsn(Opcodes.SIPUSH, value);
        }
    }

    // Every other instruction or label of the body starts it (after the method's own exception table).

    @Override
    public void visitIntInsn(int opcode, int operand) {
        begin();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        begin();
        super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        begin();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        begin();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        begin();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, net.bytebuddy.jar.asm.Handle bootstrap, Object... arguments) {
        begin();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        begin();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLabel(Label label) {
        begin();
        super.visitLabel(label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        begin();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        begin();
        super.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        begin();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        begin();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        begin();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
}
