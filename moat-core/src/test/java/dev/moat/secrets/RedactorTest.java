package dev.moat.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RedactorTest {
    private static final String VALUE = "p@ss wörd/+=\"x\"~";
    private final Redactor r = Redactor.of(List.of(new SecretValue(VALUE.toCharArray())));

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rawValue() {
        assertThat(r.redact("token=" + VALUE + ";")).isEqualTo("token=" + Redactor.MASK + ";");
    }

    @Test
    void base64Forms() {
        byte[] bytes = VALUE.getBytes(StandardCharsets.UTF_8);
        for (String form : List.of(
                Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))) {
            assertThat(r.redact("{\"v\":\"" + form + "\"}")).doesNotContain(form).contains(Redactor.MASK);
        }
    }

    @Test
    void urlEncodedForms() {
        String form = URLEncoder.encode(VALUE, StandardCharsets.UTF_8);
        assertThat(r.redact("q=" + form + "&x=1")).isEqualTo("q=" + Redactor.MASK + "&x=1");
        String rfc = form.replace("+", "%20").replace("%7E", "~");
        assertThat(r.redact("/path/" + rfc)).isEqualTo("/path/" + Redactor.MASK);
        // the value's letters are all lower case, so this is the lower-hex form
        assertThat(r.redact("/path/" + rfc.toLowerCase(java.util.Locale.ROOT))).isEqualTo("/path/" + Redactor.MASK);
    }

    @Test
    void jsonEscapedForm() {
        String json = VALUE.replace("\"", "\\\"");
        assertThat(r.redact("{\"password\":\"" + json + "\"}")).isEqualTo("{\"password\":\"" + Redactor.MASK + "\"}");
    }

    @Test
    void unicodeEscapedFormsInAnyMixAreRedacted() {
        StringBuilder all = new StringBuilder();
        for (char c : VALUE.toCharArray()) {
            all.append(String.format("\\u%04X", (int) c));
        }
        String mixed = VALUE.charAt(0) + String.format("\\u%04x", (int) VALUE.charAt(1)) + VALUE.substring(2);
        String twice = "\\\\u" + String.format("%04x", (int) VALUE.charAt(0)) + VALUE.substring(1); // \\uXXXX: escaped twice
        assertThat(r.redact("{\"a\":\"" + all + "\"}")).isEqualTo("{\"a\":\"" + Redactor.MASK + "\"}");
        assertThat(r.redact("x " + mixed + " y")).isEqualTo("x " + Redactor.MASK + " y");
        assertThat(r.redact(twice)).isEqualTo(Redactor.MASK);
        assertThat(r.redact("\\u0041\\u0042 plain")).isEqualTo("\\u0041\\u0042 plain");
    }

    @Test
    void textWithoutSecretsIsReturnedAsIs() {
        String text = "nothing to see " + b64("other");
        assertThat(r.redact(text)).isSameAs(text);
        assertThat(r.containsSecret(text)).isFalse();
        assertThat(r.containsSecret("a" + VALUE)).isTrue();
    }

    @Test
    void everyOccurrenceIsRedacted() {
        assertThat(r.redact(VALUE + VALUE + "-" + VALUE)).isEqualTo(Redactor.MASK + Redactor.MASK + "-" + Redactor.MASK);
    }

    @Test
    void toStringShowsNoPattern() {
        assertThat(r.toString()).doesNotContain(VALUE).doesNotContain(b64(VALUE));
    }
}
