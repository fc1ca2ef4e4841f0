package org.kiscsi.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The CmdSN window without sockets: RFC 7143 section 4.2.2.1's rules, across the 32-bit wrap. */
class CommandWindowTest {
    @Test
    void commandsGoWhileTheirCmdSnIsWithinMaxCmdSn() {
        CommandWindow w = new CommandWindow();
        w.reset(10, 11);
        assertTrue(w.isOpen());
        assertEquals(10, w.take());
        assertEquals(11, w.take());
        assertFalse(w.isOpen(), "CmdSN 12 is beyond MaxCmdSN 11");
        assertEquals(12, w.current(), "immediate PDUs carry the next CmdSN without taking it");
        w.update(12, 20);
        assertTrue(w.isOpen());
    }

    @Test
    void valuesNeverMoveBackwardsAndAnInvalidWindowIsIgnored() {
        CommandWindow w = new CommandWindow();
        w.reset(100, 131);
        w.update(90, 120);
        assertEquals(100, w.expCmdSn());
        assertEquals(131, w.maxCmdSn());
        w.update(140, 120); // MaxCmdSN < ExpCmdSN - 1: ignored as a whole
        assertEquals(100, w.expCmdSn());
        w.update(132, 131); // MaxCmdSN = ExpCmdSN - 1: a closed window, valid
        assertEquals(132, w.expCmdSn());
        assertEquals(131, w.maxCmdSn());
    }

    @Test
    void theWindowWorksAcrossTheWrap() {
        CommandWindow w = new CommandWindow();
        w.reset(0xFFFFFFFE, 1);
        assertEquals(0xFFFFFFFE, w.take());
        assertEquals(0xFFFFFFFF, w.take());
        assertEquals(0, w.take());
        assertEquals(1, w.take());
        assertFalse(w.isOpen());
        w.update(2, 5);
        assertTrue(w.isOpen());
        assertEquals(2, w.expCmdSn());
    }

    @Test
    void aNewConnectionStartsTheWindowAgain() {
        CommandWindow w = new CommandWindow();
        w.reset(500, 600);
        w.take();
        w.reset(7, 8);
        assertEquals(7, w.current());
        assertEquals(7, w.expCmdSn());
        assertEquals(8, w.maxCmdSn());
    }
}
