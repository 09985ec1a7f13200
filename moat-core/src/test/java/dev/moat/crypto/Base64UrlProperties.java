package dev.moat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The fast canonical check accepts exactly the strings that re-encode to themselves. */
class Base64UrlProperties {

    @Property(tries = 3000)
    void acceptsExactlyTheCanonicalEncodings(
            @ForAll @StringLength(max = 12) @CharRange(from = 'A', to = 'Z') @CharRange(from = 'a', to = 'z')
            @CharRange(from = '0', to = '9') @Chars({'-', '_'}) String text) {
        boolean canonical;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            canonical = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text);
        } catch (IllegalArgumentException e) {
            canonical = false;
        }
        if (canonical) {
            assertThat(Base64Url.encode(Base64Url.decode(text))).isEqualTo(text);
        } else {
            assertThatThrownBy(() -> Base64Url.decode(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 500)
    void roundTrips(@ForAll byte[] bytes) {
        assertThat(Base64Url.decode(Base64Url.encode(bytes))).isEqualTo(bytes);
    }
}
