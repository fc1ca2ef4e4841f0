package org.kiscsi.iscsiadm.internal;

import java.util.Optional;

/**
 * iscsiadm's options, named as open-iscsi names them. Each mode says which of them it takes; the
 * options of modes that come later (node, session, discovery, iface) are added here with them.
 */
public enum Option {
    MODE('m', "mode", true),
    TARGETNAME('T', "targetname", true),
    PORTAL('p', "portal", true),
    INTERFACE('I', "interface", true),
    LOGIN('l', "login", false),
    LOGOUT('u', "logout", false),
    SID('r', "sid", true),
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
