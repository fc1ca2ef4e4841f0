package org.kiscsi.discovery.sendtargets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.discovery.DiscoveredTarget;

class SendTargetsAnswerTest {
    private static final Portal DISCOVERY = Portal.parse("192.0.2.7:3261");
    private static final String A = "iqn.2026-11.com.example:a";
    private static final String B = "iqn.2026-11.com.example:b";

    private static List<DiscoveredTarget> parse(String... kv) {
        return SendTargetsAnswer.parse(List.of(kv), DISCOVERY);
    }

    private static String failure(String... kv) {
        return assertThrows(IscsiException.class, () -> parse(kv)).getMessage();
    }

    @Test
    void severalPortalsPerTargetWithTpgtIpv6AndHostNames() {
        List<DiscoveredTarget> t = parse("TargetName=" + A, "TargetAddress=127.0.0.1:3260,1", "TargetAddress=[::1]:3262,2",
                "TargetAddress=[fe80::1%eth0]:3260,3", "TargetAddress=san-1.example.com,4", "TargetName=" + B,
                "TargetAddress=10.0.0.1:3260,1");
        assertEquals(2, t.size());
        assertEquals(IscsiName.of(A), t.get(0).name());
        assertEquals(List.of(Portal.of("127.0.0.1", 3260, 1), Portal.of("::1", 3262, 2), Portal.of("fe80::1%eth0", 3260, 3),
                Portal.of("san-1.example.com", 3260, 4)), t.get(0).portals());
        assertEquals(List.of(Portal.of("10.0.0.1", 3260, 1)), t.get(1).portals());
    }

    @Test
    void aTargetWithoutAddressIsAtTheDiscoveryPortalWithTpgtUnknown() {
        List<DiscoveredTarget> t = parse("TargetName=" + A, "TargetName=" + B, "TargetAddress=10.0.0.1:3260,1");
        assertEquals(List.of(Portal.of("192.0.2.7", 3261, Portal.TPGT_UNKNOWN)), t.get(0).portals());
        assertEquals(List.of(Portal.of("10.0.0.1", 3260, 1)), t.get(1).portals());
    }

    @Test
    void aTargetListedTwiceIsOneTargetWithEveryPortalOnce() {
        List<DiscoveredTarget> t = parse("TargetName=" + A, "TargetAddress=10.0.0.1:3260,1", "TargetName=" + A,
                "TargetAddress=10.0.0.1:3260,1", "TargetAddress=10.0.0.2:3260,1");
        assertEquals(1, t.size());
        assertEquals(2, t.get(0).portals().size());
    }

    @Test
    void anEmptyAnswerIsNoTargets() {
        assertEquals(List.of(), parse());
    }

    @Test
    void malformedAnswersNameTheOffendingText() {
        assertTrue(failure("TargetName=" + A, "TargetAddr").contains("'TargetAddr' is not a key=value pair"));
        assertTrue(failure("TargetAddress=10.0.0.1:3260,1").contains("comes before any TargetName"));
        assertTrue(failure("TargetName=not a name").contains("TargetName 'not a name'"));
        assertTrue(failure("TargetName=" + A, "TargetAddress=::1:3260,1").contains("must be in brackets"));
        assertTrue(failure("TargetName=" + A, "TargetAddress=[::1:3260,1").contains("no ']'"));
        assertTrue(failure("TargetName=" + A, "TargetAddress=[zz::1]:3260,1").contains("'zz::1' is not an IPv6 address"));
        assertTrue(failure("TargetName=" + A, "TargetAddress=10.0.0.1:70000,1").contains("'70000' is not a port"));
        assertTrue(failure("TargetName=" + A, "TargetAddress=10.0.0.1:3260,x").contains("'x' is not a portal group tag"));
        assertTrue(failure("TargetName=" + A, "TargetAddress=bad_host!:3260,1").contains("neither an IP address nor a host name"));
        assertTrue(failure("TargetName=" + A, "TargetAddress=").contains("TargetAddress ''"));
        assertTrue(failure("SendTargets=Reject").contains("unexpected key 'SendTargets=Reject'"));
        assertTrue(failure("TargetName=" + A, "TargetAlias=x\u0001y").contains("'TargetAlias=x?y' after TargetName " + A));
    }
}
