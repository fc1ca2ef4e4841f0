package org.kiscsi.transport.iser.verbs;

/** A scatter/gather entry: {@code length} bytes from virtual address {@code address} of the region with {@code lkey}. */
public record Sge(long address, int length, int lkey) {
}
