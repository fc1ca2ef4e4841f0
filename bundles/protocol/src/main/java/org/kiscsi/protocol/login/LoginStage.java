package org.kiscsi.protocol.login;

/** Login stages as CSG/NSG encode them (RFC 7143 section 11.12.3). */
public enum LoginStage {
    SECURITY(0), OPERATIONAL(1), FULL_FEATURE(3);

    private final int code;

    LoginStage(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The stage for a CSG/NSG value, or null for the reserved value 2. */
    public static LoginStage of(int code) {
        return switch (code) {
            case 0 -> SECURITY;
            case 1 -> OPERATIONAL;
            case 3 -> FULL_FEATURE;
            default -> null;
        };
    }
}
