package org.kiscsi.mgmt;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;

/**
 * The daemon's side of the management socket against a hostile local client: the bytes of one
 * connection read as the daemon's socket loop reads them (12-byte header, a payload of at most
 * {@link MgmtProtocol#MAX_REQUEST_PAYLOAD} bytes, the request's fields), then answered by the
 * {@link ManagementEndpoint}. Every request ends in a {@link MgmtProtocolException} or an answer, and
 * no answer is an internal error: bad arguments are refused as such.
 */
class MgmtFrameFuzzTest {
    /** Every operation reaches the service only with well-formed arguments; the service refuses them all. */
    private static final IscsiManagement REFUSING = (IscsiManagement) Proxy.newProxyInstance(
            MgmtFrameFuzzTest.class.getClassLoader(), new Class<?>[] {IscsiManagement.class},
            (proxy, method, args) -> method.getDeclaringClass() == Object.class ? method.invoke(proxy, args)
                    : CompletableFuture.failedFuture(new IscsiException(IscsiError.NO_OBJS_FOUND, "the fuzz daemon has no state")));
    private static final ManagementEndpoint ENDPOINT = new ManagementEndpoint(REFUSING);

    /** Input: what the client sends on one connection. */
    @FuzzTest(maxDuration = "30s")
    void request(byte[] input) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(input);
        if (in.remaining() < FrameHeader.SIZE) {
            return; // the loop waits for the rest until its deadline
        }
        MgmtRequest request;
        try {
            FrameHeader head = FrameHeader.read(in);
            if (head.kind() != MgmtProtocol.KIND_REQUEST) {
                return; // refused by the loop: "expected a request frame"
            }
            int length = head.checkedLength(MgmtProtocol.MAX_REQUEST_PAYLOAD);
            if (in.remaining() < length) {
                return;
            }
            request = MgmtProtocol.decodeRequest(head, in.slice(in.position(), length));
        } catch (MgmtProtocolException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refusal without a message", e);
            }
            return;
        }
        MgmtAnswer answer = ENDPOINT.answer(request, (due, note) -> { }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        MgmtResponse r = answer.response();
        if (r.status() == IscsiError.INTERNAL.code() || r.message() == null || r.message().isBlank()) {
            throw new AssertionError(request.describe() + " answered " + r);
        }
        MgmtProtocol.encodeResponse(r);
    }
}
