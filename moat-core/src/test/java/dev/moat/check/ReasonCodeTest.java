package dev.moat.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReasonCodeTest {

    @Test
    void codesAreUniqueSnakeCaseAndRoundTrip() {
        assertThat(Arrays.stream(ReasonCode.values()).map(ReasonCode::code)).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z]+(_[a-z]+)*"));
        for (ReasonCode r : ReasonCode.values()) {
            assertThat(ReasonCode.fromCode(r.code())).isSameAs(r);
        }
        assertThatThrownBy(() -> ReasonCode.fromCode("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void protocolSpecificationListsEveryCode() throws IOException {
        String spec = Files.readString(Path.of("..", "spec", "PROTOCOL.md"));
        for (ReasonCode r : ReasonCode.values()) {
            assertThat(spec).as(r.code()).contains("| `" + r.code() + "` |");
        }
    }

    @Test
    void checkedCarriesValueOrFailure() {
        Checked<String> ok = Checked.ok("x");
        Checked<String> failed = Checked.failed(ReasonCode.EXPIRED, "detail");
        assertThat(ok.isOk()).isTrue();
        assertThat(ok.map(String::length).orThrow()).isEqualTo(1);
        assertThat(failed.map(String::length).failureOrNull().code()).isEqualTo(ReasonCode.EXPIRED);
        assertThatThrownBy(failed::orThrow).isInstanceOfSatisfying(CheckFailedException.class, e -> assertThat(e.code()).isEqualTo(ReasonCode.EXPIRED));
        assertThat(Failure.of(ReasonCode.REVOKED, null).toString()).isEqualTo("revoked");
    }
}
