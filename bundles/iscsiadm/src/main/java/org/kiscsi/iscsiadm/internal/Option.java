package org.kiscsi.iscsiadm.internal;

import java.util.Optional;

/**
 * iscsiadm's options, named as open-iscsi 2.1.8 names them (usr/iscsiadm.c {@code long_options}).
 * Each mode says which of them it takes, as 2.1.8's {@code mode_paras} table does.
 */
public enum Option {
    MODE('m', "mode", true),
    TYPE('t', "type", true),
    DISCOVER('D', "discover", false),
    TARGETNAME('T', "targetname", true),
    PORTAL('p', "portal", true),
    INTERFACE('I', "interface", true),
    OP('o', "op", true),
    NAME('n', "name", true),
    VALUE('v', "value", true),
    LOGIN('l', "login", false),
    LOGOUT('u', "logout", false),
    LOGIN_ALL('L', "loginall", true),
    LOGOUT_ALL('U', "logoutall", true),
    NO_WAIT('W', "no_wait", false),
    SID('r', "sid", true),
    RESCAN('R', "rescan", false),
    STATS('s', "stats", false),
    SHOW('S', "show", false),
    HOST('H', "host", true),
    SUBMODE('C', "submode", true),
    INDEX('x', "index", true),
    PORTAL_TYPE('A', "portal_type", true),
    IP('a', "ip", true),
    PACKET_SIZE('b', "packetsize", true),
    COUNT('c', "count", true),
    INTERVAL('i', "interval", true),
    KILL_ISCSID('k', "killiscsid", true),
    PRINT('P', "print", true),
    DEBUG('d', "debug", true),
    HELP('h', "help", false),
    VERSION('V', "version", false);

    private final char shortName;
    private final String longName;
    private final boolean hasValue;

    Option(char shortName, String longName, boolean hasValue) {
        this.shortName = shortName;
        this.longName = longName;
        this.hasValue = hasValue;
    }

    public char shortName() {
        return shortName;
    }

    public String longName() {
        return longName;
    }

    public boolean hasValue() {
        return hasValue;
    }

    static Optional<Option> byShort(char c) {
        for (Option o : values()) {
            if (o.shortName == c) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    static Optional<Option> byLong(String name) {
        for (Option o : values()) {
            if (o.longName.equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** {@code -m, --mode}, for messages. */
    public String display() {
        return "-" + shortName + ", --" + longName;
    }
}
