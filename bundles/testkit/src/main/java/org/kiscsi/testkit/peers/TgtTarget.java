package org.kiscsi.testkit.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A target of a running {@link Tgtd}: its LUNs, ACL, CHAP accounts and parameters. */
public final class TgtTarget {
    private final Tgtd tgtd;
    private final int tid;
    private final String iqn;

    TgtTarget(Tgtd tgtd, int tid, String iqn) {
        this.tgtd = tgtd;
        this.tid = tid;
        this.iqn = iqn;
    }

    public int tid() {
        return tid;
    }

    public String iqn() {
        return iqn;
    }

    public Tgtd tgtd() {
        return tgtd;
    }

    /** Adds LUN {@code lun} (1..; LUN 0 is tgtd's controller) while the target runs. */
    public TgtLun addLun(int lun, LunBacking backing) {
        return tgtd.addLun(this, lun, backing);
    }

    /** Deletes LUN {@code lun} and its backing file. */
    public TgtTarget deleteLun(int lun) {
        tgtd.deleteLun(this, lun);
        return this;
    }

    public Optional<TgtLun> lun(int lun) {
        return tgtd.lun(tid, lun);
    }

    /** Accepts every initiator ({@code -I ALL}). */
    public TgtTarget allowAll() {
        return bind("--initiator-address", "ALL");
    }

    /** Accepts initiators connecting from {@code address} ({@code -I}). */
    public TgtTarget allowAddress(String address) {
        return bind("--initiator-address", address);
    }

    /** Accepts the initiator named {@code initiatorIqn} ({@code -Q}); it also hides the target from others' SendTargets. */
    public TgtTarget allowInitiator(String initiatorIqn) {
        return bind("--initiator-name", initiatorIqn);
    }

    public TgtTarget disallowAll() {
        tgtd.tgtadm().run("--op", "unbind", "--mode", "target", "--tid", Integer.toString(tid), "--initiator-address", "ALL");
        return this;
    }

    /** One-way CHAP: creates the account (if new) and binds it as incoming user. */
    public TgtTarget requireChap(ChapCredentials initiator) {
        tgtd.ensureAccount(initiator);
        return bindAccount(initiator.user());
    }

    /** Mutual CHAP: {@code initiator} incoming, {@code target} outgoing (tgtd does not enforce the mutual part). */
    public TgtTarget requireMutualChap(ChapCredentials initiator, ChapCredentials target) {
        requireChap(initiator);
        tgtd.ensureAccount(target);
        return bindOutgoingAccount(target.user());
    }

    public TgtTarget bindAccount(String user) {
        tgtd.tgtadm().run("--op", "bind", "--mode", "account", "--tid", Integer.toString(tid), "--user", user);
        return this;
    }

    public TgtTarget bindOutgoingAccount(String user) {
        tgtd.tgtadm().run("--op", "bind", "--mode", "account", "--tid", Integer.toString(tid), "--user", user, "--outgoing");
        return this;
    }

    public TgtTarget unbindAccount(String user, boolean outgoing) {
        List<String> a = new ArrayList<>(List.of("--op", "unbind", "--mode", "account", "--tid", Integer.toString(tid), "--user", user));
        if (outgoing) {
            a.add("--outgoing");
        }
        tgtd.tgtadm().run(a.toArray(String[]::new));
        return this;
    }

    /** A target parameter ({@code --op update -n key -v value}), e.g. HeaderDigest=CRC32C,None. */
    public TgtTarget set(String key, String value) {
        tgtd.tgtadm().run("--op", "update", "--mode", "target", "--tid", Integer.toString(tid), "--name", key, "--value", value);
        return this;
    }

    /** The target's parameters as tgtd reports them ({@code --op show --tid N}). */
    public Map<String, String> parameters() {
        return TgtShow.parseParameters(tgtd.tgtadm().run("--op", "show", "--mode", "target", "--tid", Integer.toString(tid)));
    }

    /** The connections of this target's sessions ({@code --op show --mode conn --tid N}). */
    public List<TgtShow.Connection> connections() {
        return TgtShow.parseConnections(tgtd.tgtadm().run("--op", "show", "--mode", "conn", "--tid", Integer.toString(tid)));
    }

    /**
     * Per-connection counters of session {@code sid} ({@code --op stat --mode session --tid N --sid S};
     * {@code sid} as {@link #connections()} reports it). tgtd 1.0.85 has no request for a session's
     * negotiated parameters (its session mode answers only stat), see {@link NegotiatedParameters}.
     */
    public List<TgtShow.ConnectionStats> statistics(int sid) {
        return TgtShow.parseConnectionStats(tgtd.tgtadm().run("--op", "stat", "--mode", "session", "--tid", Integer.toString(tid),
                "--sid", Integer.toString(sid)));
    }

    /** This target in {@code --op show --mode target}. */
    public TgtShow.Target show() {
        return tgtd.show().stream().filter(t -> t.tid() == tid).findFirst()
                .orElseThrow(() -> new PeerException("target " + tid + " (" + iqn + ") missing from tgtadm --op show; tgtd log: " + tgtd.logFile()));
    }

    /** The libiscsi URL of LUN {@code lun}, without credentials. */
    public IscsiUrl url(int lun) {
        return tgtd.portalUrl().lun(iqn, lun);
    }

    /** Takes the target offline and deletes it, dropping its sessions, and deletes its LUN files. */
    public void delete() {
        tgtd.deleteTarget(this);
    }

    private TgtTarget bind(String option, String value) {
        tgtd.tgtadm().run("--op", "bind", "--mode", "target", "--tid", Integer.toString(tid), option, value);
        return this;
    }

    @Override
    public String toString() {
        return "target " + tid + " " + iqn + " on " + tgtd;
    }
}
