package org.kiscsi.api.manage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.kiscsi.api.node.NodeKey;

/**
 * What {@code iscsiadm -m node -L all|automatic|manual|onboot} did, in the order open-iscsi 2.1.8's
 * {@code login_by_startup} does it. The records without {@code node.leading_login = Yes} are logged
 * in first, all at once. Then, for each iface of the store in turn, the leading records bound to it
 * are logged in and waited for; a leading record whose target already has a session on the record's
 * portal (through any iface) is not tried and not listed. Last, each target and portal of a leading
 * record that still has no session is {@linkplain #missed() missed}.
 *
 * @param logins the records without leading login, one outcome each (started only, without wait)
 * @param leading the rounds of leading logins that tried something, one per iface, in the order tried
 * @param missed per target and portal of leading records left without a session, an outcome of
 *        {@link org.kiscsi.api.IscsiError#FATAL_LOGIN FATAL_LOGIN} naming it (its subject is one of
 *        those records) and why
 */
public record StartupLogins(List<Outcome<NodeKey>> logins, List<LeadingRound> leading, List<Outcome<NodeKey>> missed) {
    public StartupLogins {
        logins = List.copyOf(logins);
        leading = List.copyOf(leading);
        missed = List.copyOf(missed);
    }

    /**
     * The leading logins tried through one iface, all started together and waited for.
     *
     * @param iface the iface's name
     * @param logins one outcome per leading record of that iface that was tried
     * @throws IllegalArgumentException when a login's record is not bound to {@code iface}
     */
    public record LeadingRound(String iface, List<Outcome<NodeKey>> logins) {
        public LeadingRound {
            Objects.requireNonNull(iface, "iface");
            logins = List.copyOf(logins);
            for (Outcome<NodeKey> o : logins) {
                if (!o.subject().iface().equals(iface)) {
                    throw new IllegalArgumentException("a leading login through iface " + iface + " of a record on iface "
                            + o.subject().iface() + ": " + o.subject());
                }
            }
        }
    }

    /** Only ordinary logins, as {@code -L} gives when no record has leading login. */
    public static StartupLogins of(List<Outcome<NodeKey>> logins) {
        return new StartupLogins(logins, List.of(), List.of());
    }

    /** Every login tried: the ordinary ones, then each round's. */
    public List<Outcome<NodeKey>> attempts() {
        List<Outcome<NodeKey>> out = new ArrayList<>(logins);
        leading.forEach(r -> out.addAll(r.logins()));
        return out;
    }
}
