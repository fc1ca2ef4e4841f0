package org.kiscsi.tools.url;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.kiscsi.api.Portal;

/**
 * A parsed libiscsi URL, {@code iscsi://[user[%password]@]host[:port][/target-iqn[/lun]][?args]}, with
 * the CHAP credentials it ends up with after libiscsi's environment variables and kiscsi's secret
 * sources were applied (see {@link IscsiUrlParser}). {@link #toString()} never shows a secret.
 *
 * @param host a host name or an IP literal, IPv6 without brackets
 * @param port the TCP port (3260 when the URL names none)
 * @param target the target name, percent-decoded; null in a portal URL
 * @param lun the LUN, or -1 when the URL names none
 * @param chap the initiator's CHAP credentials, null without CHAP
 * @param targetChap the target's credentials for mutual CHAP, null without
 * @param headerDigest {@code node.conn[0].iscsi.HeaderDigest} value asked by {@code header_digest=}, null: the default
 * @param dataDigest likewise for {@code data_digest=}
 * @param chapAlgorithm {@code node.session.auth.chap_algs} value asked by {@code auth=}, null: the default
 * @param expectedSerial {@code force_usn=}: the Unit Serial Number the LUN must report, null: any
 * @param secretInUrl the URL itself carried a password (the tools warn: it shows in process lists and history)
 */
public record IscsiUrl(String host, int port, String target, long lun, Credentials chap, Credentials targetChap,
        String headerDigest, String dataDigest, String chapAlgorithm, String expectedSerial, boolean secretInUrl) {

    /** libiscsi's syntax, for messages. */
    public static final String SYNTAX = "iscsi://[<username>[%<password>]@]<host>[:<port>]/<target-iqn>/<lun>";
    public static final String PORTAL_SYNTAX = "iscsi://[<username>[%<password>]@]<host>[:<port>]";

    /** A CHAP user and secret. The secret never shows in {@link #toString()}. */
    public record Credentials(String user, String secret) {
        public Credentials {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + ", secret=********]";
        }
    }

    public IscsiUrl {
        Objects.requireNonNull(host, "host");
        if (targetChap != null && chap == null) {
            throw new IllegalArgumentException("mutual CHAP needs the initiator's CHAP credentials too");
        }
    }

    public Portal portal() {
        return Portal.of(host, port);
    }

    public Optional<String> targetName() {
        return Optional.ofNullable(target);
    }

    public OptionalLong lunNumber() {
        return lun < 0 ? OptionalLong.empty() : OptionalLong.of(lun);
    }

    /** {@code [::1]} for IPv6 literals, the host otherwise. */
    public String uriHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** This URL with {@code target} and {@code lun} (e.g. a target found by discovery on a portal URL). */
    public IscsiUrl withTarget(String host, int port, String target, long lun) {
        return new IscsiUrl(host, port, target, lun, chap, targetChap, headerDigest, dataDigest, chapAlgorithm, expectedSerial,
                secretInUrl);
    }

    /** The URL without credentials or query: {@code iscsi://[::1]:3260/iqn.x:y/1}. */
    public String display() {
        StringBuilder b = new StringBuilder("iscsi://").append(uriHost()).append(':').append(port);
        if (target != null) {
            b.append('/').append(target);
            if (lun >= 0) {
                b.append('/').append(lun);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return display() + (chap == null ? "" : " (CHAP user " + chap.user()
                + (targetChap == null ? "" : ", target user " + targetChap.user()) + ")");
    }
}
