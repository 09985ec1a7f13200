package dev.moat.samples.chatbot;

import dev.moat.tool.Approval;
import dev.moat.tool.ApprovalRequest;
import dev.moat.tool.Approver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Shows the exact arguments of a call that needs approval. Interactive: the user answers y/n.
 * Otherwise a scripted stand-in approves (and says so), so the offline demo runs unattended.
 */
final class ConsoleApprover implements Approver {
    private final PrintStream out;
    private final BufferedReader in;

    /** {@code in} null means: approve automatically, labelled as scripted. */
    ConsoleApprover(PrintStream out, BufferedReader in) {
        this.out = out;
        this.in = in;
    }

    @Override
    public Approval review(ApprovalRequest request) throws IOException {
        out.println("  APPROVAL   " + request.tool() + " wants to run with exactly " + request.arguments());
        out.println("             arguments sha256 " + request.argumentsSha256());
        if (in == null) {
            out.println("             approved by the scripted approver (run with --interactive to decide yourself)");
            return request.approve("scripted-approver");
        }
        out.print("             approve? [y/N] ");
        out.flush();
        String answer = in.readLine();
        return answer != null && answer.trim().equalsIgnoreCase("y")
                ? request.approve(System.getProperty("user.name", "user"))
                : request.refuse(System.getProperty("user.name", "user"), "the user said no");
    }
}
