package org.kiscsi.mgmt.text;

import java.util.List;
import java.util.Map;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionStatistics;

/**
 * Session operations' text: {@code -R} ({@code rescan_portal} in usr/iscsiadm.c) and {@code -s}
 * ({@code session_stats}), and {@code for_each_session}'s complaints.
 */
public final class SessionOps {
    private SessionOps() {
    }

    /** {@code for_each_session} finding nothing. */
    public static Printed noSession() {
        return Printed.error(IscsiError.NO_OBJS_FOUND, "No session found.");
    }

    /** {@code Rescanning session [...]} per session; a failure names the session, then the summary. */
    public static Printed rescanned(List<Outcome<SessionInfo>> outcomes) {
        if (outcomes.isEmpty()) {
            return noSession();
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        IscsiError first = IscsiError.OK;
        for (Outcome<SessionInfo> o : outcomes) {
            out.append("Rescanning session ").append(NodeOutcomes.where(o.subject())).append('\n');
            if (!o.isOk()) {
                first = first == IscsiError.OK ? o.status() : first;
                err.append(Words.errorLine("Could not rescan session sid " + o.subject().sid() + "."));
                if (!o.message().isEmpty()) {
                    err.append(Words.errorLine(o.message()));
                }
            }
        }
        if (first != IscsiError.OK) {
            err.append(Words.errorLine("Could not execute operation on all sessions: " + Words.errText(first)));
        }
        return new Printed(out.toString(), err.toString(), first.code());
    }

    /** One session's statistics, as {@code session_stats} prints them. */
    public static String statistics(SessionInfo s, SessionStatistics st) {
        StringBuilder b = new StringBuilder();
        b.append("Stats for session ").append(NodeOutcomes.where(s)).append('\n');
        b.append("iSCSI SNMP:\n");
        stat(b, "txdata_octets", st.txDataOctets());
        stat(b, "rxdata_octets", st.rxDataOctets());
        stat(b, "noptx_pdus", st.nopOutPdus());
        stat(b, "scsicmd_pdus", st.scsiCommandPdus());
        stat(b, "tmfcmd_pdus", st.tmfRequestPdus());
        stat(b, "login_pdus", st.loginPdus());
        stat(b, "text_pdus", st.textPdus());
        stat(b, "dataout_pdus", st.dataOutPdus());
        stat(b, "logout_pdus", st.logoutPdus());
        stat(b, "snack_pdus", st.snackPdus());
        stat(b, "noprx_pdus", st.nopInPdus());
        stat(b, "scsirsp_pdus", st.scsiResponsePdus());
        stat(b, "tmfrsp_pdus", st.tmfResponsePdus());
        stat(b, "textrsp_pdus", st.textResponsePdus());
        stat(b, "datain_pdus", st.dataInPdus());
        stat(b, "logoutrsp_pdus", st.logoutResponsePdus());
        stat(b, "r2t_pdus", st.r2tPdus());
        stat(b, "async_pdus", st.asyncPdus());
        stat(b, "rjt_pdus", st.rejectPdus());
        stat(b, "digest_err", st.digestErrors());
        stat(b, "timeout_err", st.timeoutErrors());
        if (!st.extended().isEmpty()) {
            b.append("iSCSI Extended:\n");
            for (Map.Entry<String, Long> e : st.extended().entrySet()) {
                stat(b, e.getKey(), e.getValue());
            }
        }
        return b.toString();
    }

    private static void stat(StringBuilder b, String name, long value) {
        b.append('\t').append(name).append(": ").append(value).append('\n');
    }

    /** A session's statistics could not be had: {@code for_each_session}'s summary. */
    public static Printed statisticsFailed(IscsiError error, String message) {
        StringBuilder err = new StringBuilder();
        if (!message.isEmpty()) {
            err.append(Words.errorLine(message));
        }
        err.append(Words.errorLine("Could not execute operation on all sessions: " + Words.errText(error)));
        return new Printed("", err.toString(), error.code());
    }
}
