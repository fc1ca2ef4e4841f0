// Management protocol version 1 as released (commit 291a091), kept unchanged to test compatibility with it.
package org.kiscsi.mgmt.v1peer;

/**
 * A well-formed frame in a protocol version this side does not speak. The frame was read whole, so
 * the stream is still in step and an answer can be sent.
 */
public class UnsupportedVersionException extends MgmtProtocolException {
    private static final long serialVersionUID = 1L;

    private final int version;

    public UnsupportedVersionException(int version) {
        super("management protocol version " + version + " is not supported (this side speaks "
                + MgmtProtocol.MIN_VERSION + ".." + MgmtProtocol.VERSION + ")");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
