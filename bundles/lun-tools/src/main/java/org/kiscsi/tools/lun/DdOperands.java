package org.kiscsi.tools.lun;

import java.util.List;
import java.util.Locale;

/**
 * dd's operands as kiscsi-dd takes them: {@code if=}, {@code of=} (a URL, a file or {@code -}), {@code bs=},
 * {@code count=}, {@code skip=}, {@code seek=} (in bs units, as dd), {@code status=progress|none|default},
 * {@code oflag=fua}; kiscsi's own {@code qd=} (transfers in flight) and {@code iosize=} (bytes per transfer).
 */
public record DdOperands(String in, String out, long bs, long count, long skip, long seek, Status status, boolean fua, int depth,
        int ioSize) {
    public enum Status { DEFAULT, PROGRESS, NONE }

    public static final int DEFAULT_IO_SIZE = 1 << 20;
    public static final int DEFAULT_DEPTH = 16;

    public static DdOperands parse(List<String> args) {
        String in = "-";
        String out = "-";
        long bs = 512;
        long count = -1;
        long skip = 0;
        long seek = 0;
        Status status = Status.DEFAULT;
        boolean fua = false;
        int depth = DEFAULT_DEPTH;
        long ioSize = DEFAULT_IO_SIZE;
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(a.startsWith("-") ? "unknown option " + a : "'" + a + "' is not an operand (if=, of=, bs=, ...)");
            }
            String k = a.substring(0, eq);
            String v = a.substring(eq + 1);
            switch (k) {
                case "if" -> in = v;
                case "of" -> out = v;
                case "bs" -> bs = size(k, v);
                case "count" -> count = size(k, v);
                case "skip" -> skip = size(k, v);
                case "seek" -> seek = size(k, v);
                case "status" -> status = switch (v) {
                    case "progress" -> Status.PROGRESS;
                    case "none" -> Status.NONE;
                    case "default" -> Status.DEFAULT;
                    default -> throw new UsageException("status=" + v + ": progress, none or default");
                };
                case "oflag" -> {
                    for (String f : v.split(",")) {
                        if (!f.equals("fua")) {
                            throw new UsageException("oflag=" + f + ": kiscsi-dd knows only oflag=fua");
                        }
                        fua = true;
                    }
                }
                case "qd" -> depth = (int) Math.min(size(k, v), Integer.MAX_VALUE);
                case "iosize" -> ioSize = size(k, v);
                default -> throw new UsageException("unknown operand " + k + "= (if, of, bs, count, skip, seek, status, oflag, qd, iosize)");
            }
        }
        if (bs < 1 || bs > (1L << 30)) {
            throw new UsageException("bs= must be 1 byte .. 1 GiB");
        }
        if (depth < 1 || depth > 256) {
            throw new UsageException("qd= must be 1..256");
        }
        if (ioSize < 512 || ioSize > (64 << 20)) {
            throw new UsageException("iosize= must be 512 bytes .. 64 MiB");
        }
        if (Math.multiplyHigh(Math.max(count, 0), bs) != 0 || Math.multiplyHigh(skip, bs) != 0 || Math.multiplyHigh(seek, bs) != 0) {
            throw new UsageException("count=, skip= or seek= times bs= is too large");
        }
        return new DdOperands(in, out, bs, count, skip, seek, status, fua, depth, (int) ioSize);
    }

    /** dd's numbers: c 1, w 2, b 512, kB 1000, K/KiB 1024, MB, M/MiB, GB, G/GiB, TB, T/TiB. */
    public static long size(String key, String v) {
        String s = v.strip();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new UsageException(key + "=" + v + " is not a number");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new UsageException(key + "=" + v + " is too large");
        }
        long m = switch (s.substring(i).toUpperCase(Locale.ROOT)) {
            case "" , "C" -> 1;
            case "W" -> 2;
            case "B" -> 512;
            case "KB" -> 1000;
            case "K", "KIB" -> 1L << 10;
            case "MB" -> 1000_000;
            case "M", "MIB" -> 1L << 20;
            case "GB" -> 1000_000_000;
            case "G", "GIB" -> 1L << 30;
            case "TB" -> 1000_000_000_000L;
            case "T", "TIB" -> 1L << 40;
            default -> throw new UsageException(key + "=" + v + ": unknown unit '" + s.substring(i) + "'");
        };
        if (Math.multiplyHigh(n, m) != 0 || n * m < 0) {
            throw new UsageException(key + "=" + v + " is too large");
        }
        return n * m;
    }
}
