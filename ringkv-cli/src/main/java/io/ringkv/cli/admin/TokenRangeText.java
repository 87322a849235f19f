package io.ringkv.cli.admin;

import io.ringkv.core.ring.Token;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Checks {@code --range FROM:TO} before anything is sent: two tokens of 32 hex digits, the ring
 * interval (FROM, TO] as {@code core.ring.TokenRange} means it. A bad range is a usage error
 * (exit 2) here rather than a 400 from the node.
 */
public final class TokenRangeText implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
        String[] bounds = value.strip().split(":", -1);
        if (bounds.length != 2) {
            throw new CommandLine.TypeConversionException("expected FROM:TO, two tokens of 32 hex digits, got '" + value + "'");
        }
        for (int i = 0; i < 2; i++) {
            try {
                Token.parse(bounds[i]);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException((i == 0 ? "FROM" : "TO") + " is not a token: " + e.getMessage());
            }
        }
        return value.strip().toLowerCase(Locale.ROOT);
    }
}
