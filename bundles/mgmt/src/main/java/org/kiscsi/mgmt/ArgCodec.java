package org.kiscsi.mgmt;

import java.util.List;

/** How an operation's typed arguments travel as ordered, repeatable request arguments. */
interface ArgCodec<A> {
    List<MgmtPair> encode(A args);

    A decode(Fields.Reader r);
}
