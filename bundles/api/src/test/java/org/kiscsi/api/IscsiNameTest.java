package org.kiscsi.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IscsiNameTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "iqn.2005-03.org.open-iscsi:0123456789ab",
        "iqn.2026-11.test.peers:null",
        "iqn.1991-05.com.microsoft:host.example.com",
        "iqn.2001-04.com.example",
        "eui.02004567A425678D",
        "naa.52004567BA64678D",
        "naa.62004567BA64678D0123456789ABCDEF",
    })
    void accepts(String name) {
        assertTrue(IscsiName.isValid(name), IscsiName.problem(name).orElse(""));
        assertEquals(name, IscsiName.of(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "iqn.", "iqn.2005.org.x", "iqn.2005-13.org.x", "iqn.05-03.org.x", "iqn.2005-03", "iqn.2005-03.org x",
        "eui.0123", "eui.0123456789abcdeg", "naa.0123456789abcdef01", "foo.bar", "iqn.2005-03.org.x:a/b",
    })
    void rejects(String name) {
        assertFalse(IscsiName.isValid(name), name);
        IscsiException e = assertThrows(IscsiException.class, () -> IscsiName.of(name));
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void atMost223Bytes() {
        String base = "iqn.2026-11.org.kiscsi:";
        String ok = base + "a".repeat(223 - base.length());
        assertTrue(IscsiName.isValid(ok));
        assertFalse(IscsiName.isValid(ok + "a"));
        // bytes, not characters: a two-byte character at the end pushes it over
        assertFalse(IscsiName.isValid(ok.substring(0, 222) + "é"));
    }

    @Test
    void typesAndCaseInsensitiveEquality() {
        assertEquals(IscsiName.Type.IQN, IscsiName.of("iqn.2026-11.org.kiscsi:x").type());
        assertEquals(IscsiName.Type.EUI, IscsiName.of("eui.02004567A425678D").type());
        assertEquals(IscsiName.Type.NAA, IscsiName.of("naa.52004567BA64678D").type());
        assertEquals(IscsiName.of("iqn.2026-11.org.kiscsi:X"), IscsiName.of("iqn.2026-11.org.kiscsi:x"));
        assertEquals(IscsiName.of("iqn.2026-11.org.kiscsi:X").hashCode(), IscsiName.of("iqn.2026-11.org.kiscsi:x").hashCode());
    }
}
