package org.kiscsi.iscsid.internal.conf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What values a key accepts; {@link #problem} says what is wrong with one, in words for the error line. */
@FunctionalInterface
public interface ValueRule {
    /** Empty when {@code value} is acceptable. Never repeats the value: it may be a secret. */
    Optional<String> problem(String value);

    static ValueRule any() {
        return v -> Optional.empty();
    }

    /** Yes or No, in any case, as open-iscsi writes booleans. */
    static ValueRule yesNo() {
        return oneOf("Yes", "No");
    }

    /** One of {@code allowed}, compared without case. */
    static ValueRule oneOf(String... allowed) {
        List<String> lower = Arrays.stream(allowed).map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toList());
        return v -> lower.contains(v.toLowerCase(Locale.ROOT)) ? Optional.empty()
                : Optional.of("expected one of " + String.join(", ", allowed));
    }

    /** A comma-separated list of values from {@code allowed}, in order of preference. */
    static ValueRule listOf(String... allowed) {
        ValueRule one = oneOf(allowed);
        return v -> {
            for (String part : v.split(",", -1)) {
                if (part.isBlank() || one.problem(part.trim()).isPresent()) {
                    return Optional.of("expected a comma-separated list of " + String.join(", ", allowed));
                }
            }
            return Optional.empty();
        };
    }

    /** A decimal integer in {@code [min, max]}. */
    static ValueRule intRange(long min, long max) {
        return v -> {
            try {
                long n = Long.parseLong(v);
                return n >= min && n <= max ? Optional.empty() : Optional.of("expected an integer from " + min + " to " + max);
            } catch (NumberFormatException e) {
                return Optional.of("expected an integer from " + min + " to " + max);
            }
        };
    }

    /** 0 or a decimal integer in {@code [min, max]}: 0 means "as large as the peer allows". */
    static ValueRule zeroOrRange(long min, long max) {
        ValueRule range = intRange(min, max);
        return v -> v.equals("0") ? Optional.empty()
                : range.problem(v).map(p -> "expected 0 or an integer from " + min + " to " + max);
    }
}
