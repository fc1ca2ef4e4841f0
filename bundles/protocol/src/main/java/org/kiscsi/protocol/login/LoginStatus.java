package org.kiscsi.protocol.login;

import org.kiscsi.api.IscsiError;

/** Login Response status codes (RFC 7143 section 11.13.5) and what they mean for the initiator. */
public final class LoginStatus {
    public static final int SUCCESS = 0x0000;
    public static final int TARGET_MOVED_TEMPORARILY = 0x0101;
    public static final int TARGET_MOVED_PERMANENTLY = 0x0102;
    public static final int AUTHENTICATION_FAILURE = 0x0201;
    public static final int AUTHORIZATION_FAILURE = 0x0202;

    private LoginStatus() {
    }

    public static boolean isRedirect(int status) {
        return status == TARGET_MOVED_TEMPORARILY || status == TARGET_MOVED_PERMANENTLY;
    }

    /** What the status means, in words. */
    public static String text(int status) {
        return switch (status) {
            case 0x0000 -> "success";
            case 0x0101 -> "target moved temporarily";
            case 0x0102 -> "target moved permanently";
            case 0x0200 -> "initiator error";
            case 0x0201 -> "authentication failure";
            case 0x0202 -> "authorization failure: the initiator may not access this target";
            case 0x0203 -> "target not found";
            case 0x0204 -> "target removed";
            case 0x0205 -> "unsupported iSCSI version";
            case 0x0206 -> "too many connections";
            case 0x0207 -> "missing parameter";
            case 0x0208 -> "cannot include the connection in the session";
            case 0x0209 -> "session type not supported";
            case 0x020a -> "session does not exist";
            case 0x020b -> "invalid request during login";
            case 0x0300 -> "target error";
            case 0x0301 -> "service unavailable";
            case 0x0302 -> "target out of resources";
            default -> String.format("status class 0x%02x detail 0x%02x", status >> 8, status & 0xFF);
        };
    }

    /** The error class a refused login maps to. */
    public static IscsiError error(int status) {
        if (status == AUTHENTICATION_FAILURE || status == AUTHORIZATION_FAILURE) {
            return IscsiError.LOGIN_AUTH_FAILED;
        }
        if ((status >> 8) == 2) {
            return IscsiError.FATAL_LOGIN;
        }
        return IscsiError.LOGIN;
    }
}
