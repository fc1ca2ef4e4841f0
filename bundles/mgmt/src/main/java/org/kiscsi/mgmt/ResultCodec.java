package org.kiscsi.mgmt;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.node.NodeKey;

/** How an operation's typed result travels as the rows of an answer. */
interface ResultCodec<R> {
    List<MgmtRow> encode(R result);

    R decode(List<MgmtRow> rows, String what);

    /** The answer's message. */
    default String message(R result) {
        return "";
    }

    static <T> Fields.Reader reader(MgmtRow row, String what) {
        return new Fields.Reader(row.pairs(), what);
    }

    static <T> MgmtRow row(T value, RowCodec<T> codec) {
        Fields.Writer w = new Fields.Writer();
        codec.write(value, w);
        return w.row();
    }

    /** Exactly one row. */
    static <T> ResultCodec<T> one(RowCodec<T> codec) {
        return new ResultCodec<>() {
            public List<MgmtRow> encode(T value) {
                return List.of(row(value, codec));
            }

            public T decode(List<MgmtRow> rows, String what) {
                if (rows.size() != 1) {
                    throw new IllegalArgumentException(what + ": expected one row, got " + rows.size());
                }
                return codec.read(reader(rows.get(0), what));
            }
        };
    }

    /** One row per element. */
    static <T> ResultCodec<List<T>> list(RowCodec<T> codec) {
        return new ResultCodec<>() {
            public List<MgmtRow> encode(List<T> values) {
                return values.stream().map(v -> row(v, codec)).toList();
            }

            public List<T> decode(List<MgmtRow> rows, String what) {
                return rows.stream().map(r -> codec.read(reader(r, what))).toList();
            }

            public String message(List<T> values) {
                return values.size() + " row(s)";
            }
        };
    }

    /** The row key of each of an outcome's warnings (repeated; a peer that does not know it ignores it). */
    String WARNING = "outcome.warning";

    /** An outcome as a row with its own status, message and warnings. */
    static <T> MgmtRow outcomeRow(Outcome<T> o, RowCodec<T> codec) {
        MgmtRow r = row(o.subject(), codec);
        List<MgmtPair> pairs = new ArrayList<>(r.pairs());
        o.warnings().forEach(w -> pairs.add(new MgmtPair(WARNING, w)));
        return new MgmtRow(o.status().code(), o.message(), pairs);
    }

    static <T> Outcome<T> outcomeOf(MgmtRow row, RowCodec<T> codec, String what) {
        List<String> warnings = row.pairs().stream().filter(p -> p.key().equals(WARNING)).map(MgmtPair::value).toList();
        return new Outcome<>(codec.read(reader(row, what)), IscsiError.ofCode(row.status()), row.message(), warnings);
    }

    static <T> ResultCodec<Outcome<T>> outcome(RowCodec<T> codec) {
        return new ResultCodec<>() {
            public List<MgmtRow> encode(Outcome<T> o) {
                return List.of(outcomeRow(o, codec));
            }

            public Outcome<T> decode(List<MgmtRow> rows, String what) {
                if (rows.size() != 1) {
                    throw new IllegalArgumentException(what + ": expected one row, got " + rows.size());
                }
                return outcomeOf(rows.get(0), codec, what);
            }
        };
    }

    static <T> ResultCodec<List<Outcome<T>>> outcomes(RowCodec<T> codec) {
        return new ResultCodec<>() {
            public List<MgmtRow> encode(List<Outcome<T>> os) {
                List<MgmtRow> rows = new ArrayList<>();
                os.forEach(o -> rows.add(outcomeRow(o, codec)));
                return rows;
            }

            public List<Outcome<T>> decode(List<MgmtRow> rows, String what) {
                return rows.stream().map(r -> outcomeOf(r, codec, what)).toList();
            }

            public String message(List<Outcome<T>> os) {
                long failed = os.stream().filter(o -> !o.isOk()).count();
                return os.size() + " subject(s), " + failed + " failed";
            }
        };
    }

    /**
     * {@code -L}'s logins as outcome rows in order: the ordinary ones, each round's (marked
     * {@code login=leading}; a round is the leading rows of one iface in a row), then the missed
     * targets ({@code login=missed}). A reader of the plain outcome list ignores the mark and sees
     * every row as a login; rows without it (a daemon that knows no leading login) are ordinary.
     */
    static ResultCodec<StartupLogins> startupLogins(RowCodec<NodeKey> codec) {
        return new ResultCodec<>() {
            public List<MgmtRow> encode(StartupLogins s) {
                List<MgmtRow> rows = new ArrayList<>();
                s.logins().forEach(o -> rows.add(outcomeRow(o, codec)));
                s.leading().forEach(r -> r.logins().forEach(o -> rows.add(marked(outcomeRow(o, codec), "leading"))));
                s.missed().forEach(o -> rows.add(marked(outcomeRow(o, codec), "missed")));
                return rows;
            }

            private MgmtRow marked(MgmtRow r, String kind) {
                List<MgmtPair> pairs = new ArrayList<>(r.pairs());
                pairs.add(new MgmtPair("login", kind));
                return new MgmtRow(r.status(), r.message(), pairs);
            }

            public StartupLogins decode(List<MgmtRow> rows, String what) {
                List<Outcome<NodeKey>> logins = new ArrayList<>();
                List<StartupLogins.LeadingRound> rounds = new ArrayList<>();
                List<Outcome<NodeKey>> missed = new ArrayList<>();
                for (MgmtRow row : rows) {
                    Outcome<NodeKey> o = outcomeOf(row, codec, what);
                    String kind = reader(row, what).opt("login").orElse("ordinary");
                    switch (kind) {
                        case "ordinary" -> logins.add(o);
                        case "missed" -> missed.add(o);
                        case "leading" -> {
                            int last = rounds.size() - 1;
                            if (last >= 0 && rounds.get(last).iface().equals(o.subject().iface())) {
                                List<Outcome<NodeKey>> more = new ArrayList<>(rounds.get(last).logins());
                                more.add(o);
                                rounds.set(last, new StartupLogins.LeadingRound(o.subject().iface(), more));
                            } else {
                                rounds.add(new StartupLogins.LeadingRound(o.subject().iface(), List.of(o)));
                            }
                        }
                        default -> throw new IllegalArgumentException(what + ": unknown login kind '" + kind + "'");
                    }
                }
                return new StartupLogins(logins, rounds, missed);
            }

            public String message(StartupLogins s) {
                List<Outcome<NodeKey>> all = s.attempts();
                long failed = all.stream().filter(o -> !o.isOk()).count();
                return all.size() + " login(s), " + failed + " failed, " + s.missed().size() + " leading target(s) missed";
            }
        };
    }
}
