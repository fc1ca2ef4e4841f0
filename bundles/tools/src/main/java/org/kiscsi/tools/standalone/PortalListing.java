package org.kiscsi.tools.standalone;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.discovery.sendtargets.SendTargetsDiscovery;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.tools.lun.LunListing;
import org.kiscsi.tools.url.IscsiUrl;

/**
 * {@code kiscsi-ls} on its own engine: SendTargets discovery at the URL's portal, then for each target a
 * login, its LUNs ({@link LunListing}) and a logout. A failed login is reported and the listing goes on.
 */
public final class PortalListing {
    private final StandaloneInitiator initiator;
    private final LunListing listing;
    private final PrintStream out;
    private final Duration timeout;

    public PortalListing(StandaloneInitiator initiator, LunListing listing, PrintStream out, Duration timeout) {
        this.initiator = initiator;
        this.listing = listing;
        this.out = out;
        this.timeout = timeout;
    }

    /** The targets {@code url}'s portal reports, each with its LUNs when {@code showLuns}; {@code urls}: as iscsi-ls -U. */
    public void discover(IscsiUrl url, String initiatorName, boolean showLuns, boolean urls) {
        RecordValues v = RecordValues.empty();
        if (url.chap() != null) { // libiscsi logs in to discovery with the URL's user too; one-way, so None still passes
            v = v.with("discovery.sendtargets.auth.authmethod", "CHAP").with("discovery.sendtargets.auth.username", url.chap().user())
                    .with("discovery.sendtargets.auth.password", url.chap().secret());
        }
        DiscoveryRecord st = new DiscoveryRecord(DiscoveryType.SENDTARGETS, url.portal(), v);
        List<DiscoveredTarget> found = Await.result(new SendTargetsDiscovery().discover(st,
                new DiscoveryContext(IscsiName.of(initiatorName), initiator.engine(), timeout)), timeout.plusSeconds(5),
                "SendTargets discovery at " + url.portal().hostPort());
        for (DiscoveredTarget t : found) {
            for (Portal p : t.portals()) {
                if (urls && !showLuns) {
                    out.println("iscsi://" + p.hostPort() + "/" + t.name().value() + "/0");
                } else {
                    out.println("Target:" + t.name().value() + " Portal:" + p);
                }
                if (showLuns) {
                    target(url, t.name().value(), p);
                }
            }
        }
    }

    /** Logs in to {@code target} at {@code portal}, lists its LUNs, logs out; a failed login is reported, not thrown. */
    public void target(IscsiUrl url, String target, Portal portal) {
        long sid;
        try {
            sid = initiator.login(url, target, portal);
        } catch (IscsiException e) {
            listing.loginFailed(target, portal, e);
            return;
        }
        try {
            listing.luns(initiator.luns(), sid, target);
        } finally {
            initiator.logout(sid);
        }
    }
}
