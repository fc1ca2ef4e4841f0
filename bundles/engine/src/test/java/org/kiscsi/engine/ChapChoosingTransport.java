package org.kiscsi.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;

/**
 * A transport over another that records every {@link ConnectRequest} it is given, and makes a
 * target's {@code AuthMethod=None} answer read {@code AuthMethod=CHAP} (same length, in place): the
 * test target does no CHAP, and this way the engine still runs its CHAP authenticator.
 */
final class ChapChoosingTransport implements TransportProvider {
    static final String NAME = "chap-choosing";
    private static final int LOGIN_RESPONSE = 0x23;
    private static final byte[] NONE_ANSWER = "AuthMethod=None".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHAP = "CHAP".getBytes(StandardCharsets.US_ASCII);

    private final TransportProvider inner;
    final List<ConnectRequest> requests = new CopyOnWriteArrayList<>();

    ChapChoosingTransport(TransportProvider inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return inner.capabilities();
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        requests.add(request);
        return inner.connect(request, new TransportListener() {
            @Override
            public void received(PduBuffer pdu) {
                if ((pdu.header().get(0) & 0x3F) == LOGIN_RESPONSE) {
                    chooseChap(pdu.data());
                }
                listener.received(pdu);
            }

            @Override
            public void closed(Throwable cause) {
                listener.closed(cause);
            }

            @Override
            public ByteBuffer placementFor(ByteBuffer header) {
                return listener.placementFor(header);
            }
        });
    }

    private static void chooseChap(ByteBuffer data) {
        for (int i = data.position(); i + NONE_ANSWER.length <= data.limit(); i++) {
            int j = 0;
            while (j < NONE_ANSWER.length && data.get(i + j) == NONE_ANSWER[j]) {
                j++;
            }
            if (j == NONE_ANSWER.length) {
                data.put(i + NONE_ANSWER.length - CHAP.length, CHAP);
                return;
            }
        }
    }
}
