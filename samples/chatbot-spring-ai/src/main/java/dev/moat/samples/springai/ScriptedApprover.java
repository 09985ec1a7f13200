package dev.moat.samples.springai;

import dev.moat.tool.Approval;
import dev.moat.tool.ApprovalRequest;
import dev.moat.tool.Approver;
import java.io.PrintStream;

/**
 * Shows the exact arguments of a call that needs approval and, standing in for the user in the
 * offline demo, approves them (and says so). The starter gives the app's Approver bean to Moat.
 */
public final class ScriptedApprover implements Approver {
    private final PrintStream out;

    public ScriptedApprover(PrintStream out) {
        this.out = out;
    }

    @Override
    public Approval review(ApprovalRequest request) {
        out.println("  APPROVAL   " + request.prompt().replace("\n", "\n             "));
        out.println("             approved by the scripted approver (the user, in a real app)");
        return request.approve("scripted-approver");
    }
}
