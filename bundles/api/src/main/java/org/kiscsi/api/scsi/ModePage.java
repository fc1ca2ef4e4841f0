package org.kiscsi.api.scsi;

import java.util.Arrays;

/**
 * One mode page from MODE SENSE (SPC-4).
 *
 * @param pageCode PAGE CODE (e.g. 0x08 caching, 0x0A control)
 * @param subpageCode SUBPAGE CODE, 0 for a page_0 format page
 * @param saveable PS: the page can be saved
 * @param parameters the page's bytes after its header (2 bytes page_0 format, 4 bytes sub_page format)
 */
public record ModePage(int pageCode, int subpageCode, boolean saveable, byte[] parameters) {
    public static final int CACHING = 0x08;
    public static final int CONTROL = 0x0A;
    public static final int ALL_PAGES = 0x3F;

    public ModePage {
        parameters = parameters.clone();
    }

    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    /** Parameter byte {@code i} (0 = the first byte after the page header), 0 past the end. */
    public int parameter(int i) {
        return i < parameters.length ? parameters[i] & 0xFF : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModePage p && p.pageCode == pageCode && p.subpageCode == subpageCode
                && p.saveable == saveable && Arrays.equals(p.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return (pageCode * 256 + subpageCode) * 31 + Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        return String.format("ModePage[0x%02X/0x%02X, %d bytes%s]", pageCode, subpageCode, parameters.length,
                saveable ? ", saveable" : "");
    }
}
