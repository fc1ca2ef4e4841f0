package org.kiscsi.testkit.peers;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A libiscsi URL: {@code iscsi://host:port} (a portal, for discovery) or
 * {@code iscsi://host:port/<target-iqn>/<lun>}, IPv6 hosts in brackets, optionally with CHAP
 * credentials. {@link #uri()} and {@link #toString()} never contain secrets: tools get them through
 * {@link #chapEnvironment()} ({@code LIBISCSI_CHAP_*}, which libiscsi reads when the URL has no
 * user). {@link #uriWithSecrets()} is the inline form ({@code user%secret@}, {@code target_user},
 * {@code target_password}) for programs that read nothing else; redact it.
 */
public final class IscsiUrl {
    public static final String ENV_USER = "LIBISCSI_CHAP_USERNAME";
    public static final String ENV_PASSWORD = "LIBISCSI_CHAP_PASSWORD";
    public static final String ENV_TARGET_USER = "LIBISCSI_CHAP_TARGET_USERNAME";
    public static final String ENV_TARGET_PASSWORD = "LIBISCSI_CHAP_TARGET_PASSWORD";

    private final String host;
    private final int port;
    private final String target;
    private final int lun;
    private final ChapCredentials chap;
    private final ChapCredentials targetChap;
    private final String headerDigest;

    private IscsiUrl(String host, int port, String target, int lun, ChapCredentials chap, ChapCredentials targetChap, String headerDigest) {
        this.host = host;
        this.port = port;
        this.target = target;
        this.lun = lun;
        this.chap = chap;
        this.targetChap = targetChap;
        this.headerDigest = headerDigest;
    }

    /** A portal URL; {@code host} is a name or an IP literal without brackets ({@code ::1}). */
    public static IscsiUrl portal(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.startsWith("[")) {
            throw new IllegalArgumentException("host must be a name or a bare IP literal: '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port + " for " + host);
        }
        return new IscsiUrl(host, port, null, -1, null, null, null);
    }

    public static IscsiUrl lun(String host, int port, String targetIqn, int lun) {
        return portal(host, port).lun(targetIqn, lun);
    }

    /** This portal's LUN {@code lun} of target {@code targetIqn}. */
    public IscsiUrl lun(String targetIqn, int lun) {
        Objects.requireNonNull(targetIqn, "targetIqn");
        if (targetIqn.isEmpty() || targetIqn.contains("/")) {
            throw new IllegalArgumentException("invalid target name '" + targetIqn + "'");
        }
        if (lun < 0 || lun > 16383) {
            throw new IllegalArgumentException("invalid LUN " + lun + " of " + targetIqn);
        }
        return new IscsiUrl(host, port, targetIqn, lun, chap, targetChap, headerDigest);
    }

    /** One-way CHAP: the initiator authenticates with {@code initiator}. */
    public IscsiUrl withChap(ChapCredentials initiator) {
        return new IscsiUrl(host, port, target, lun, Objects.requireNonNull(initiator), targetChap, headerDigest);
    }

    /** Mutual CHAP: also requires the target to answer with {@code target}'s secret. */
    public IscsiUrl withMutualChap(ChapCredentials initiator, ChapCredentials target) {
        return new IscsiUrl(host, port, this.target, lun, Objects.requireNonNull(initiator), Objects.requireNonNull(target), headerDigest);
    }

    /** libiscsi's {@code ?header_digest=} (none, crc32c, none-crc32c, crc32c-none). */
    public IscsiUrl withHeaderDigest(String digest) {
        return new IscsiUrl(host, port, target, lun, chap, targetChap, Objects.requireNonNull(digest));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    public OptionalInt lunNumber() {
        return lun < 0 ? OptionalInt.empty() : OptionalInt.of(lun);
    }

    public Optional<ChapCredentials> chap() {
        return Optional.ofNullable(chap);
    }

    public Optional<ChapCredentials> targetChap() {
        return Optional.ofNullable(targetChap);
    }

    /** {@code [::1]} for IPv6 literals, the host otherwise. */
    public String uriHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The URL without credentials: {@code iscsi://[::1]:3260/iqn.x:y/1}. */
    public String uri() {
        return build(false);
    }

    /** The URL with credentials inline. Contains secrets: never log it (see {@link #secrets()}). */
    public String uriWithSecrets() {
        return build(true);
    }

    /** The {@code LIBISCSI_CHAP_*} variables for this URL's credentials (empty without CHAP). */
    public Map<String, String> chapEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (chap != null) {
            env.put(ENV_USER, chap.user());
            env.put(ENV_PASSWORD, chap.secret());
        }
        if (targetChap != null) {
            env.put(ENV_TARGET_USER, targetChap.user());
            env.put(ENV_TARGET_PASSWORD, targetChap.secret());
        }
        return env;
    }

    /** {@code command} plus this URL's CHAP variables, passwords marked secret. */
    public Command applyCredentials(Command command) {
        Command c = command;
        for (Map.Entry<String, String> e : chapEnvironment().entrySet()) {
            c = e.getKey().endsWith("PASSWORD") ? c.withSecretEnv(e.getKey(), e.getValue()) : c.withEnv(e.getKey(), e.getValue());
        }
        return c;
    }

    /** The secrets this URL carries, for {@link Command#redacting}. */
    public Set<String> secrets() {
        Set<String> s = new LinkedHashSet<>();
        if (chap != null) {
            s.add(chap.secret());
        }
        if (targetChap != null) {
            s.add(targetChap.secret());
        }
        return s;
    }

    private String build(boolean withSecrets) {
        StringBuilder b = new StringBuilder("iscsi://");
        if (withSecrets && chap != null) {
            b.append(chap.user()).append('%').append(chap.secret()).append('@');
        }
        b.append(uriHost()).append(':').append(port);
        if (target != null) {
            b.append('/').append(target).append('/').append(lun);
        }
        String sep = "?";
        if (withSecrets && targetChap != null) {
            b.append(sep).append("target_user=").append(targetChap.user()).append("&target_password=").append(targetChap.secret());
            sep = "&";
        }
        if (headerDigest != null) {
            b.append(sep).append("header_digest=").append(headerDigest);
        }
        return b.toString();
    }

    /** {@link #uri()} plus who authenticates; no secret. */
    @Override
    public String toString() {
        if (chap == null) {
            return uri();
        }
        return uri() + " (CHAP user " + chap.user() + (targetChap != null ? ", mutual with target user " + targetChap.user() : "") + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IscsiUrl u && uriWithSecrets().equals(u.uriWithSecrets());
    }

    @Override
    public int hashCode() {
        return uri().hashCode();
    }
}
