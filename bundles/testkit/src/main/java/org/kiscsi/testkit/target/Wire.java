package org.kiscsi.testkit.target;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

import org.kiscsi.api.Portal;

/**
 * What a target connection runs on: a byte stream each way (a socket's, or a loopback link's), how
 * to close it, whether it is still open, who is at the other end and which portal they came to.
 */
record Wire(InputStream in, OutputStream out, Closeable closer, BooleanSupplier open, String peer, Portal portal) {
}
