package dev.moat.policy;

/**
 * The policy records' canonical constructors, called directly by {@link PolicyReader} with the
 * values it bound, in component order. Reflection would do the same ({@code Constructor.newInstance}),
 * but on Java 18 and later each constructor's first reflective call spins method-handle code: about
 * 40 ms of the Java agent's {@code premain} on Java 25 for these records. {@code PolicyRecordsTest}
 * checks that every record a policy can hold is listed and that each argument lands in its component.
 */
final class PolicyRecords {
    private PolicyRecords() {}

    /**
     * A new {@code type} from its components' values {@code a}, in declaration order. A value of the
     * wrong type is a {@link ClassCastException}; a type not listed, an {@link IllegalStateException}.
     */
    static Object construct(Class<?> type, Object[] a) {
        if (type == PolicyDocument.class) {
            return new PolicyDocument(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]), as(a[7]), as(a[8]), as(a[9]), as(a[10]), as(a[11]), as(a[12]), as(a[13]), as(a[14]), as(a[15]), as(a[16]));
        }
        if (type == PolicyDocument.Agent.class) {
            return new PolicyDocument.Agent(as(a[0]), as(a[1]), as(a[2]));
        }
        if (type == PolicyDocument.GrantSpec.class) {
            return new PolicyDocument.GrantSpec(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]), as(a[7]));
        }
        if (type == PolicyDocument.Router.class) {
            return new PolicyDocument.Router(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]));
        }
        if (type == PolicyDocument.Audit.class) {
            return new PolicyDocument.Audit(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]));
        }
        if (type == PolicyDocument.Replay.class) {
            return new PolicyDocument.Replay(as(a[0]));
        }
        if (type == SandboxSection.class) {
            return new SandboxSection(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]));
        }
        if (type == MonitorSection.class) {
            return new MonitorSection(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]));
        }
        if (type == SecretSpec.class) {
            return new SecretSpec(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]));
        }
        if (type == StoreSection.class) {
            return new StoreSection(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]), as(a[7]), as(a[8]));
        }
        if (type == AgentSection.class) {
            return new AgentSection(as(a[0]), as(a[1]), as(a[2]), as(a[3]));
        }
        if (type == ToolSection.class) {
            return new ToolSection(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]));
        }
        if (type == PolicyDocument.Denials.class) {
            return new PolicyDocument.Denials(as(a[0]));
        }
        if (type == PolicyDocument.ScopeSpec.class) {
            return new PolicyDocument.ScopeSpec(as(a[0]), as(a[1]));
        }
        if (type == PolicyDocument.Limits.class) {
            return new PolicyDocument.Limits(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]));
        }
        if (type == MonitorSection.Rate.class) {
            return new MonitorSection.Rate(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]));
        }
        if (type == MonitorSection.Window.class) {
            return new MonitorSection.Window(as(a[0]), as(a[1]), as(a[2]), as(a[3]));
        }
        if (type == MonitorSection.Sequence.class) {
            return new MonitorSection.Sequence(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]));
        }
        if (type == MonitorSection.Drift.class) {
            return new MonitorSection.Drift(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]), as(a[7]), as(a[8]));
        }
        if (type == AgentSection.Service.class) {
            return new AgentSection.Service(as(a[0]), as(a[1]));
        }
        if (type == AgentSection.Method.class) {
            return new AgentSection.Method(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]));
        }
        if (type == ToolSection.ArgumentSpec.class) {
            return new ToolSection.ArgumentSpec(as(a[0]), as(a[1]), as(a[2]), as(a[3]), as(a[4]), as(a[5]), as(a[6]), as(a[7]), as(a[8]), as(a[9]), as(a[10]), as(a[11]), as(a[12]), as(a[13]), as(a[14]));
        }
        if (type == MonitorSection.Step.class) {
            return new MonitorSection.Step(as(a[0]), as(a[1]), as(a[2]), as(a[3]));
        }
        if (type == ToolSection.BudgetSpec.class) {
            return new ToolSection.BudgetSpec(as(a[0]), as(a[1]));
        }
        if (type == ToolSection.WhenSpec.class) {
            return new ToolSection.WhenSpec(as(a[0]), as(a[1]), as(a[2]));
        }
        throw new IllegalStateException("not a policy record: " + type.getName());
    }

    /** The value as the parameter's type: the cast the compiler inserts checks it. */
    @SuppressWarnings("unchecked")
    private static <T> T as(Object value) {
        return (T) value;
    }
}
