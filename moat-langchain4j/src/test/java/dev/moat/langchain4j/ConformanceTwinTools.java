package dev.moat.langchain4j;

import dev.langchain4j.agent.tool.Tool;
import dev.moat.tool.Budget;
import dev.moat.tool.HostIn;
import dev.moat.tool.MaxLength;
import dev.moat.tool.NoneOf;
import dev.moat.tool.Nullable;
import dev.moat.tool.OneOf;
import dev.moat.tool.PathUnder;
import dev.moat.tool.Range;
import dev.moat.tool.Required;
import dev.moat.tool.Rule;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The tools of spec/tool-rules/conformance.json written as annotated LangChain4j tools: the same
 * rules as the file's {@code tools:} section, declared with core's annotations.
 */
public final class ConformanceTwinTools {
    @Tool(name = "mail_send", value = "Sends mail")
    @Rule(path = "bcc", absent = true)
    public String mailSend(@OneOf({"alice@example.com", "bob@example.com"}) List<String> recipients,
                           @OneOf(value = {"f-1", "f-2"}, at = "[*].file_id") List<Map<String, Object>> attachments,
                           String bcc, @Nullable @MaxLength(20) String subject) {
        return "ok:mail_send";
    }

    @Tool(name = "pay", value = "Pays")
    public String pay(@Required @Range(min = "0.01", max = "500") @Budget(total = "600", per = "conversation") BigDecimal amount,
                      @Required @OneOf("DE89370400440532013000") String iban, @OneOf("EUR") String currency) {
        return "ok:pay";
    }

    @Tool(name = "fetch", value = "Fetches")
    public String fetch(@HostIn({"example.com", "*.example.org"}) String url) {
        return "ok:fetch";
    }

    @Tool(name = "share", value = "Shares")
    @Rule(path = "recipient", oneOf = "partner@partner.com", whenPath = "type", whenEquals = "external")
    @Rule(path = "recipient", matches = "[^@]+@example\\.com", whenPath = "type", whenEquals = "internal")
    public String share(@Required @OneOf({"internal", "external"}) String type, @NoneOf("ceo@example.com") String recipient) {
        return "ok:share";
    }

    @Tool(name = "read", value = "Reads")
    public String read(@PathUnder("workspace") String path, @OneOf({"1", "2"}) Object mode) {
        return "ok:read";
    }
}
