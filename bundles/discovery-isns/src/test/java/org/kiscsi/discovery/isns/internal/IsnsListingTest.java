package org.kiscsi.discovery.isns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.discovery.DiscoveredTarget;

/** Listing by DevAttrQry and by the DevGetNext walk, against a server that answers as scripted. */
class IsnsListingTest {
    private static final IscsiName ME = IscsiName.of("iqn.2026-11.org.kiscsi.test:me");
    private static final String T1 = "iqn.2026-11.org.kiscsi.test:t1";
    private static final String T2 = "iqn.2026-11.org.kiscsi.test:t2";
    private static final String I1 = "iqn.2026-11.org.kiscsi.test:other-initiator";

    /** A server of one connection: each request is answered by {@code answer} (status, attributes); every request is kept. */
    static final class Scripted implements AutoCloseable {
        final ServerSocket socket;
        final List<IsnsPdu> requests = new CopyOnWriteArrayList<>();

        Scripted(Function<IsnsPdu, IsnsPdu> answer) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    while (true) {
                        IsnsPdu request = IsnsConnection.read(s.getInputStream());
                        requests.add(request);
                        s.getOutputStream().write(answer.apply(request).encode());
                    }
                } catch (IOException | RuntimeException e) {
                    // the client is done
                }
            }, "scripted-isns");
            t.setDaemon(true);
            t.start();
        }

        IsnsConnection connect() {
            return IsnsConnection.open(new InetSocketAddress("127.0.0.1", socket.getLocalPort()),
                    Duration.ofSeconds(5));
        }

        long count(int function) {
            return requests.stream().filter(r -> r.function() == function).count();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static IsnsPdu answer(IsnsPdu to, int status, List<IsnsTlv> attrs) {
        return IsnsPdu.response(to, IsnsPdu.F_SERVER | IsnsPdu.F_FIRST | IsnsPdu.F_LAST, status, attrs);
    }

    /** The message key of a request (the attribute after the source). */
    private static String key(IsnsPdu request) {
        return request.attributes().get(1).asString();
    }

    private static IsnsPdu next(IsnsPdu to, String name, int type) {
        return answer(to, 0, List.of(IsnsTlv.string(IsnsTlv.ISCSI_NAME, name), IsnsTlv.delimiter(),
                IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, type)));
    }

    /** A DevAttrQryRsp for one target with one portal group on 127.0.0.1:port, tag 1. */
    private static IsnsPdu node(IsnsPdu to, String name, int port) {
        return answer(to, 0, List.of(IsnsTlv.string(IsnsTlv.ISCSI_NAME, name), IsnsTlv.delimiter(),
                IsnsTlv.string(IsnsTlv.ISCSI_NAME, name), IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, IsnsTlv.NODE_TYPE_TARGET),
                IsnsTlv.string(IsnsTlv.PG_ISCSI_NAME, name), IsnsTlv.address(IsnsTlv.PG_PORTAL_IP_ADDR, InetAddress.getLoopbackAddress()),
                IsnsTlv.u32(IsnsTlv.PG_PORTAL_PORT, port), IsnsTlv.u32(IsnsTlv.PG_TAG, 1)));
    }

    /** isnsd's way: the whole answer does not fit (Internal Error); the walk gives T1, an initiator, T2, then No Such Entry. */
    private static IsnsPdu limitingServer(IsnsPdu r) {
        if (r.function() == IsnsPdu.DEV_ATTR_QRY) {
            return switch (key(r)) {
                case T1 -> node(r, T1, 3261);
                case T2 -> node(r, T2, 3262);
                default -> answer(r, IsnsStatusException.INTERNAL_ERROR, List.of());
            };
        }
        return switch (key(r)) {
            case "" -> next(r, T1, IsnsTlv.NODE_TYPE_TARGET);
            case T1 -> next(r, I1, IsnsTlv.NODE_TYPE_INITIATOR);
            case I1 -> next(r, T2, IsnsTlv.NODE_TYPE_TARGET);
            default -> answer(r, IsnsStatusException.NO_SUCH_ENTRY, List.of());
        };
    }

    @Test
    void aServerThatLimitsTheQueryIsWalkedWithDevGetNextThenQueriedPerTarget() throws Exception {
        try (Scripted s = new Scripted(IsnsListingTest::limitingServer); IsnsConnection c = s.connect()) {
            IsnsListing listing = new IsnsListing(ME);
            List<DiscoveredTarget> found = listing.list(c);
            assertEquals(List.of(new DiscoveredTarget(IscsiName.of(T1), List.of(Portal.of("127.0.0.1", 3261, 1))),
                    new DiscoveredTarget(IscsiName.of(T2), List.of(Portal.of("127.0.0.1", 3262, 1)))), found);
            assertTrue(listing.walks());
            assertEquals(4, s.count(IsnsPdu.DEV_GET_NEXT), "first, after T1, after I1, after T2 (No Such Entry)");
            assertEquals(3, s.count(IsnsPdu.DEV_ATTR_QRY), "all at once, then T1 and T2 (not the initiator)");

            IsnsPdu first = s.requests.stream().filter(r -> r.function() == IsnsPdu.DEV_GET_NEXT).findFirst().orElseThrow();
            List<IsnsTlv> a = first.attributes();
            assertEquals(ME.toString(), a.get(0).asString(), "source");
            assertEquals(IsnsTlv.ISCSI_NAME, a.get(1).tag());
            assertEquals(0, a.get(1).length(), "an empty key: the first node");
            assertEquals(IsnsTlv.DELIMITER, a.get(2).tag());
            assertEquals(IsnsTlv.NODE_TYPE_TARGET, a.get(3).asU32(), "scoped to targets");
            assertEquals(0, a.get(4).length(), "the node type asked for, after the scope");

            // once walked, the server is walked again without trying the whole query first
            s.requests.clear();
            assertEquals(2, listing.list(c).size());
            assertEquals(2, s.count(IsnsPdu.DEV_ATTR_QRY));
        }
    }

    @Test
    void anEmptyServerEndsTheWalkAtOnce() throws Exception {
        try (Scripted s = new Scripted(r -> answer(r, IsnsStatusException.NO_SUCH_ENTRY, List.of())); IsnsConnection c = s.connect()) {
            assertEquals(List.of(), new IsnsListing(ME).walk(c));
            assertEquals(1, s.requests.size());
        }
    }

    @Test
    void aTargetGoneBetweenWalkAndQueryIsLeftOut() throws Exception {
        try (Scripted s = new Scripted(r -> {
            if (r.function() == IsnsPdu.DEV_ATTR_QRY) {
                return key(r).equals(T1) ? answer(r, IsnsStatusException.NO_SUCH_ENTRY, List.of()) : node(r, T2, 3262);
            }
            return limitingServer(r);
        }); IsnsConnection c = s.connect()) {
            List<DiscoveredTarget> found = new IsnsListing(ME).walk(c);
            assertEquals(List.of(T2), found.stream().map(t -> t.name().toString()).toList());
        }
    }

    @Test
    void anErrorStatusInTheWalkFailsTheListingNamingServerAndStatus() throws Exception {
        try (Scripted s = new Scripted(r -> key(r).isEmpty() ? next(r, T1, IsnsTlv.NODE_TYPE_TARGET)
                : answer(r, 5, List.of())); IsnsConnection c = s.connect()) {
            IscsiException x = assertThrows(IscsiException.class, () -> new IsnsListing(ME).walk(c));
            assertEquals(IscsiError.ISNS_QUERY, x.error());
            assertTrue(x.getMessage().contains("iSNS server 127.0.0.1:" + s.socket.getLocalPort() + ": DevGetNext failed: status 5 "
                    + "(Invalid Query)"), x.getMessage());
        }
    }

    @Test
    void aServerThatNamesTheSameNodeAgainIsStoppedWithAClearError() throws Exception {
        try (Scripted s = new Scripted(r -> next(r, T1, IsnsTlv.NODE_TYPE_TARGET)); IsnsConnection c = s.connect()) {
            IscsiException x = assertThrows(IscsiException.class, () -> new IsnsListing(ME).walk(c));
            assertEquals(IscsiError.ISNS_QUERY, x.error());
            assertTrue(x.getMessage().contains("DevGetNext after " + T1 + " named " + T1 + " again"), x.getMessage());
            assertTrue(x.getMessage().contains("iSNS server 127.0.0.1:"), x.getMessage());
            assertEquals(2, s.requests.size(), "stopped at the first repeat");
            assertEquals(0, s.count(IsnsPdu.DEV_ATTR_QRY), "nothing queried from a bad walk");
        }
    }

    @Test
    void aCycleThroughSeveralNodesIsStoppedToo() throws Exception {
        try (Scripted s = new Scripted(r -> switch (key(r)) {
            case "", T2 -> next(r, T1, IsnsTlv.NODE_TYPE_TARGET);
            default -> next(r, T2, IsnsTlv.NODE_TYPE_TARGET);
        }); IsnsConnection c = s.connect()) {
            IscsiException x = assertThrows(IscsiException.class, () -> new IsnsListing(ME).walk(c));
            assertTrue(x.getMessage().contains("named " + T1 + " again, after 2 node(s)"), x.getMessage());
        }
    }

    @Test
    void aServerWithEverNewNamesIsStoppedAtTheBound() throws Exception {
        List<String> asked = new ArrayList<>();
        try (Scripted s = new Scripted(r -> {
            asked.add(key(r));
            return next(r, "iqn.2026-11.org.kiscsi.test:n" + asked.size(), IsnsTlv.NODE_TYPE_TARGET);
        }); IsnsConnection c = s.connect()) {
            IscsiException x = assertThrows(IscsiException.class, () -> new IsnsListing(ME, 10).walk(c));
            assertTrue(x.getMessage().contains("named more than 10 target nodes"), x.getMessage());
            assertEquals(11, s.requests.size());
        }
    }

    @Test
    void aWalkAnswerWithoutItsKeyIsABadAnswer() throws Exception {
        try (Scripted s = new Scripted(r -> answer(r, 0, List.of(IsnsTlv.delimiter(), IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, 1))));
                IsnsConnection c = s.connect()) {
            IscsiException x = assertThrows(IscsiException.class, () -> new IsnsListing(ME).walk(c));
            assertEquals(IscsiError.ISNS_QUERY, x.error());
            assertTrue(x.getMessage().contains("DevGetNextRsp: no iSCSI name as the message key"), x.getMessage());
        }
    }

    @Test
    void otherQueryFailuresAreNotWalkedAround() throws Exception {
        try (Scripted s = new Scripted(r -> answer(r, 8, List.of())); IsnsConnection c = s.connect()) {
            IsnsListing listing = new IsnsListing(ME);
            IscsiException x = assertThrows(IscsiException.class, () -> listing.list(c));
            assertTrue(x.getMessage().contains("DevAttrQry failed: status 8 (Source Unauthorized)"), x.getMessage());
            assertFalse(listing.walks());
            assertEquals(0, s.count(IsnsPdu.DEV_GET_NEXT));
        }
    }
}
