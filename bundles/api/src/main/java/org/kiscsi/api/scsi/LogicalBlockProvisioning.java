package org.kiscsi.api.scsi;

/**
 * The Logical Block Provisioning VPD page 0xB2 (SBC-3).
 *
 * @param thresholdExponent THRESHOLD EXPONENT
 * @param unmapSupported LBPU: UNMAP is supported
 * @param writeSame16UnmapSupported LBPWS: WRITE SAME (16) with the UNMAP bit is supported
 * @param writeSame10UnmapSupported LBPWS10: WRITE SAME (10) with the UNMAP bit is supported
 * @param lbprz LBPRZ (SBC-4 bits; SBC-3 only its low bit): 1 = unmapped blocks read as zeros
 * @param anchorSupported ANC_SUP
 * @param descriptorPresent DP: a provisioning group descriptor follows
 * @param provisioningType PROVISIONING TYPE: 0 not reported/full, 1 resource provisioned, 2 thin provisioned
 */
public record LogicalBlockProvisioning(int thresholdExponent, boolean unmapSupported, boolean writeSame16UnmapSupported,
        boolean writeSame10UnmapSupported, int lbprz, boolean anchorSupported, boolean descriptorPresent,
        int provisioningType) {
    public static final int TYPE_FULL = 0;
    public static final int TYPE_RESOURCE = 1;
    public static final int TYPE_THIN = 2;

    public boolean thinProvisioned() {
        return provisioningType == TYPE_THIN;
    }

    /** Unmapped blocks read as zeros. */
    public boolean readsZeros() {
        return (lbprz & 0x1) != 0;
    }
}
