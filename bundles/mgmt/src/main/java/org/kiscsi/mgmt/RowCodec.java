package org.kiscsi.mgmt;

/** How one typed value is written into (and read back from) the fields of a row. */
interface RowCodec<T> {
    void write(T value, Fields.Writer w);

    T read(Fields.Reader r);
}
