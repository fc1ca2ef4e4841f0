package org.kiscsi.iscsiadm.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.RecordChange;

/**
 * A parsed iscsiadm command line: short options ({@code -m daemon}, {@code -k0}) and long ones
 * ({@code --mode=daemon}, {@code --mode daemon}). An option given twice keeps every value in order
 * (iscsiadm repeats {@code -n}/{@code -v} pairs). Which options go with which mode is the mode's
 * business ({@link Mode#options()}), not the parser's.
 */
public final class CommandLine {
    private final Map<Option, List<String>> values;
    private final List<RecordChange> pairs;

    private CommandLine(Map<Option, List<String>> values, List<RecordChange> pairs) {
        this.values = values;
        this.pairs = List.copyOf(pairs);
    }

    public static CommandLine parse(String... args) throws ClientException {
        Map<Option, List<String>> v = new EnumMap<>(Option.class);
        List<RecordChange> pairs = new ArrayList<>();
        String name = null;
        String val = null;
        int i = 0;
        while (i < args.length) {
            String a = args[i++];
            Option o;
            String value = null;
            if (a.startsWith("--") && a.length() > 2) {
                int eq = a.indexOf('=');
                String longName = eq < 0 ? a.substring(2) : a.substring(2, eq);
                o = Option.byLong(longName).orElseThrow(() -> invalid("unrecognized option '--" + longName + "'"));
                if (eq >= 0) {
                    if (!o.hasValue()) {
                        throw invalid("option '--" + longName + "' doesn't allow an argument");
                    }
                    value = a.substring(eq + 1);
                }
            } else if (a.startsWith("-") && a.length() >= 2) {
                char c = a.charAt(1);
                o = Option.byShort(c).orElseThrow(() -> invalid("invalid option -- '" + c + "'"));
                if (a.length() > 2) {
                    if (!o.hasValue()) {
                        throw invalid("option -" + c + " takes no value");
                    }
                    value = a.substring(2);
                }
            } else {
                throw invalid("unexpected argument '" + a + "'");
            }
            if (o.hasValue() && value == null) {
                if (i >= args.length) {
                    throw invalid("option " + o.display() + " requires an argument");
                }
                value = args[i++];
            }
            v.computeIfAbsent(o, k -> new ArrayList<>()).add(value == null ? "" : value);
            // as 2.1.8's option loop: a pair is taken once both a name and a value have been seen
            if (o == Option.NAME) {
                name = value;
            } else if (o == Option.VALUE) {
                val = value;
            }
            if (name != null && val != null) {
                pairs.add(new RecordChange(name, val));
                name = null;
                val = null;
            }
        }
        return new CommandLine(v, pairs);
    }

    private static ClientException invalid(String message) {
        return new ClientException(IscsiError.INVAL, message);
    }

    public boolean has(Option o) {
        return values.containsKey(o);
    }

    /** The last value of {@code o}. */
    public Optional<String> value(Option o) {
        List<String> l = values.get(o);
        return l == null ? Optional.empty() : Optional.of(l.get(l.size() - 1));
    }

    public List<String> all(Option o) {
        return values.getOrDefault(o, Collections.emptyList());
    }

    /** The {@code -n name -v value} pairs, in order. */
    public List<RecordChange> pairs() {
        return pairs;
    }

    public java.util.Set<Option> given() {
        return values.keySet();
    }
}
