package org.kiscsi.iscsid.internal.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKeys;

class IscsidConfParserTest {
    /** The iscsid.conf the distribution ships (config/iscsi/ in the repository). */
    static final Path SHIPPED = Path.of("../../config/iscsi/iscsid.conf");

    @TempDir
    Path dir;

    private IscsidConf parse(String... lines) throws IscsidConfException {
        return IscsidConfParser.parse(dir.resolve("iscsid.conf"), List.of(lines));
    }

    @Test
    void theShippedConfigLoadsWithoutWarnings() throws Exception {
        assertTrue(Files.isRegularFile(SHIPPED), "shipped iscsid.conf not found at " + SHIPPED.toAbsolutePath());
        IscsidConf c = IscsidConfParser.parse(SHIPPED);
        assertEquals(List.of(), c.warnings());
        // open-iscsi's kernel-only keys are accepted with an informational line naming file and line
        assertTrue(c.messages().stream().anyMatch(m -> m.level() == ConfMessage.Level.INFO
                && m.text().contains("node.session.xmit_thread_priority") && m.text().contains("iscsid.conf:")), c.messages().toString());
        assertEquals(Optional.of("manual"), c.nodeDefaults().get(NodeKeys.STARTUP));
        assertEquals(Optional.of("120"), c.nodeDefaults().get(NodeKeys.REPLACEMENT_TIMEOUT));
        assertEquals(Optional.of("0"), c.nodeDefaults().get(NodeKeys.MAX_XMIT_DATA_SEGMENT_LENGTH));
        assertEquals(Optional.of("-20"), c.nodeDefaults().get("node.session.xmit_thread_priority"),
                "kept for open-iscsi: new records carry it, as open-iscsi's do");
        assertEquals(Optional.of("32768"),
                c.discoveryDefaults(DiscoveryType.SENDTARGETS).get("discovery.sendtargets.iscsi.MaxRecvDataSegmentLength"));
    }

    @Test
    void valuesBecomeNodeDefaultsInFileOrder() throws Exception {
        IscsidConf c = parse("# comment", "", "node.startup=automatic", "  node.session.cmds_max   =   64  ",
                "node.session.auth.password = pa#ss word");
        assertEquals(List.of(NodeKeys.STARTUP, NodeKeys.CMDS_MAX, NodeKeys.PASSWORD),
                List.copyOf(c.nodeDefaults().asMap().keySet()));
        assertEquals(Optional.of("64"), c.nodeDefaults().get(NodeKeys.CMDS_MAX));
        // '#' inside a value is part of it, as in open-iscsi
        assertEquals(Optional.of("pa#ss word"), c.nodeDefaults().get(NodeKeys.PASSWORD));
        assertFalse(c.nodeDefaults().toString().contains("pa#ss"), "secrets are masked when printed");
        assertEquals(List.of(), c.messages());
    }

    @Test
    void unknownKeysWarnWithFileAndLine() throws Exception {
        IscsidConf c = parse("node.startup = manual", "node.session.bogus = 1");
        assertEquals(1, c.warnings().size());
        String w = c.warnings().get(0).text();
        assertTrue(w.startsWith(dir.resolve("iscsid.conf") + ":2: unknown key node.session.bogus"), w);
        assertFalse(c.nodeDefaults().contains("node.session.bogus"));
    }

    @Test
    void unusedOpenIscsiKeysGiveAnInfoLine() throws Exception {
        IscsidConf c = parse("iscsid.startup = /bin/systemctl start iscsid.socket", "iscsid.safe_logout = Yes");
        assertEquals(List.of(), c.warnings());
        assertEquals(2, c.messages().size());
        assertTrue(c.messages().get(0).text().contains(":1: iscsid.startup is open-iscsi's and has no use in kiscsi"));
    }

    /** Node keys the engine acts on: record defaults, and no line at start. */
    @ParameterizedTest
    @ValueSource(strings = {"node.conn[0].timeo.noop_out_interval = 5", "node.conn[0].timeo.noop_out_timeout = 5",
            "node.session.timeo.replacement_timeout = 120", "node.session.err_timeo.abort_timeout = 15",
            "node.session.err_timeo.lu_reset_timeout = 30", "node.session.err_timeo.tgt_reset_timeout = 30",
            "node.session.reopen_max = 0", "node.session.initial_login_retry_max = 8", "node.session.nr_sessions = 2",
            "node.session.cmds_max = 128"})
    void keysTheEngineActsOnAreDefaultsWithoutALine(String line) throws Exception {
        IscsidConf c = parse(line);
        assertEquals(List.of(), c.messages());
        String key = line.substring(0, line.indexOf(' '));
        assertEquals(Optional.of(line.substring(line.indexOf('=') + 1).strip()), c.nodeDefaults().get(key));
    }

    /** open-iscsi keys kiscsi does not act on keep their informational line. */
    @ParameterizedTest
    @ValueSource(strings = {"node.session.err_timeo.host_reset_timeout = 60", "node.session.queue_depth = 32",
            "node.session.xmit_thread_priority = -20", "node.conn[0].tcp.window_size = 524288",
            "node.conn[0].tcp.type_of_service = 0", "node.session.iscsi.FastAbort = Yes", "iscsid.safe_logout = No"})
    void keysNotActedOnGetAnInfoLine(String line) throws Exception {
        IscsidConf c = parse(line);
        assertEquals(List.of(), c.warnings());
        assertEquals(1, c.messages().size(), c.messages().toString());
        String key = line.substring(0, line.indexOf(' '));
        assertEquals(ConfMessage.Level.INFO, c.messages().get(0).level());
        assertTrue(c.messages().get(0).text().contains(":1: " + key + " is open-iscsi's"), c.messages().get(0).text());
    }

    /** Older open-iscsi's iSNS server keys: 2.1.8 reads neither; refused with a warning naming the discovery record that replaced them. */
    @Test
    void isnsServerKeysAreRefusedSayingWhatReplacedThem() throws Exception {
        IscsidConf c = parse("node.startup = manual", "isns.address = 192.0.2.7", "isns.port = 3206");
        assertEquals(2, c.warnings().size(), c.messages().toString());
        String w = c.warnings().get(0).text();
        assertTrue(w.startsWith(dir.resolve("iscsid.conf") + ":2: isns.address is not read (ignored)"), w);
        assertTrue(w.contains("iscsiadm -m discoverydb -t isns -p 192.0.2.7:3206 -o new"), w);
        assertTrue(w.contains("discovery.isns.use_discoveryd -v Yes"), w);
        assertTrue(c.warnings().get(1).text().contains(":3: isns.port is not read (ignored)"), c.warnings().get(1).text());
        assertFalse(c.nodeDefaults().contains("isns.address"));
        assertTrue(c.discoveryDefaults(DiscoveryType.ISNS).asMap().isEmpty(), "no iSNS record default either");
        IscsidConf portOnly = parse("isns.port = 3205");
        assertTrue(portOnly.warnings().get(0).text().contains("-p <address>:3205"), portOnly.warnings().get(0).text());
    }

    /** The records table says kiscsi acts on node.session.scan (no scan after login when manual): no line. */
    @Test
    void iscsidsOwnKeysAreNotRecordDefaults() throws Exception {
        IscsidConf c = parse("iscsid.safe_logout = No", "isns.address = 127.0.0.1");
        assertFalse(c.nodeDefaults().contains("iscsid.safe_logout"));
        assertFalse(c.nodeDefaults().contains("isns.address"));
    }

    @Test
    void keysActedOnGetNoInfoLine() throws Exception {
        IscsidConf c = parse("node.session.scan = manual", "node.session.cmds_max = 64");
        assertEquals(List.of(), c.messages());
    }

    @Test
    void recordOnlyKeysStillDefaultNewRecords() throws Exception {
        IscsidConf c = parse("node.session.queue_depth = 32", "node.session.scan = manual");
        assertEquals(Optional.of("32"), c.nodeDefaults().get(NodeKeys.QUEUE_DEPTH), "open-iscsi's tools read it from the record");
        assertEquals(Optional.of("manual"), c.nodeDefaults().get("node.session.scan"));
    }

    @Test
    void malformedLinesAndValuesAreErrorsNamingFileAndLineAllAtOnce() {
        IscsidConfException e = assertThrows(IscsidConfException.class, () -> parse(
                "node.startup = manual",
                "this line has no equals sign",
                "node.session.cmds_max = lots",
                "node.session.iscsi.InitialR2T = maybe",
                "node.conn[0].iscsi.HeaderDigest = CRC32C,MD5",
                "= value without a key"));
        Path f = dir.resolve("iscsid.conf");
        assertEquals(5, e.errors().size(), e.errors().toString());
        assertEquals(f + ":2: expected 'key = value'", e.errors().get(0));
        assertEquals(f + ":3: node.session.cmds_max: invalid value 'lots': expected an integer from 2 to 2048", e.errors().get(1));
        assertEquals(f + ":4: node.session.iscsi.InitialR2T: invalid value 'maybe': expected one of Yes, No", e.errors().get(2));
        assertTrue(e.errors().get(3).startsWith(f + ":5: node.conn[0].iscsi.HeaderDigest"), e.errors().get(3));
        assertTrue(e.errors().get(4).startsWith(f + ":6: expected 'key = value'"), e.errors().get(4));
    }

    @Test
    void numbersOutOfRangeAreErrors() {
        assertThrows(IscsidConfException.class, () -> parse("node.session.iscsi.FirstBurstLength = 100"));
        assertThrows(IscsidConfException.class, () -> parse("node.conn[0].iscsi.MaxXmitDataSegmentLength = 1"));
        assertThrows(IscsidConfException.class, () -> parse("node.session.iscsi.ERL = 3"));
    }

    @Test
    void secretsNeverAppearInMessages() throws Exception {
        IscsidConf c = parse("node.session.auth.pasword = s3cret-typo", "node.session.auth.password = s3cret1",
                "node.session.auth.password = s3cret2");
        for (ConfMessage m : c.messages()) {
            assertFalse(m.text().contains("s3cret"), m.text());
        }
        assertEquals(2, c.warnings().size(), "one unknown key, one key set twice");
        assertTrue(c.warnings().get(1).text().contains("already set on line 2; this later value wins"));
        assertEquals(Optional.of("s3cret2"), c.nodeDefaults().get(NodeKeys.PASSWORD));
    }

    @Test
    void discoveryKeysDefaultDiscoveryRecords() throws Exception {
        IscsidConf c = parse("discovery.sendtargets.use_discoveryd = Yes", "discovery.sendtargets.discoveryd_poll_inval = 5",
                "discovery.isns.discoveryd_poll_inval = -1");
        assertEquals(Optional.of("Yes"), c.discoveryDefaults(DiscoveryType.SENDTARGETS).get("discovery.sendtargets.use_discoveryd"));
        assertEquals(Optional.of("-1"), c.discoveryDefaults(DiscoveryType.ISNS).get("discovery.isns.discoveryd_poll_inval"));
        assertEquals(0, c.nodeDefaults().size());
    }

    @Test
    void aMissingFileWarnsAndGivesBuiltInDefaults() throws Exception {
        IscsidConf c = IscsidConfParser.parse(dir.resolve("absent.conf"));
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).text().startsWith(dir.resolve("absent.conf") + ": no such file"));
        assertEquals(0, c.nodeDefaults().size());
    }

    @Test
    void aFileThatIsNotTextIsAnError() throws Exception {
        Path f = dir.resolve("binary.conf");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        IscsidConfException e = assertThrows(IscsidConfException.class, () -> IscsidConfParser.parse(f));
        assertEquals(List.of(f + ": not UTF-8 text"), e.errors());
    }
}
