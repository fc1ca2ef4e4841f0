package org.kiscsi.transport.iser.verbs;

/**
 * A type 2 memory window (ibv_mw): an rkey of its own over part of a registered region, bound with
 * {@link QueuePair#postBind} and ended by {@link QueuePair#postLocalInvalidate}, by the peer's Send
 * with Invalidate, or by {@link #close}. While it is not bound, its rkey grants nothing.
 */
public interface MemoryWindow extends AutoCloseable {
    /** The rkey: the one of the last bind (valid while bound), or the allocated one before any bind. */
    int rkey();

    /** Whether it is bound now: its rkey grants the access of its bind. */
    boolean valid();

    /**
     * Deallocates it (ibv_dealloc_mw): when this returns, its rkey is refused (an RDMA access running
     * now finishes first). Closing twice is harmless.
     */
    @Override
    void close();
}
