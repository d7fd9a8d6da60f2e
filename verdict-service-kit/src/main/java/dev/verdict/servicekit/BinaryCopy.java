package dev.verdict.servicekit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN WITH (FORMAT binary)}), written into a growing
 * byte array that a COPY sends as it is. Binary rather than CSV: PostgreSQL reads each value as it stores it, with no
 * text to parse and no quotes to undo (docs/PERFORMANCE.md, section 8), and each value is still checked by its
 * column's type on the way in, as an {@code INSERT}'s is.
 */
public final class BinaryCopy {

    /** The format's signature, then no flags and no header extension: what a COPY's data starts with. */
    public static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};
    /** A field count of -1: what a COPY's data ends with. */
    public static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
    /** For the COPY statement. */
    public static final String FORMAT = "(FORMAT binary)";
    /** PostgreSQL counts time in microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECOND = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();

    private byte[] buf = new byte[1 << 20];
    private int size;

    /** The bytes written so far are {@code array()[0, size())}. */
    public byte[] array() {
        return buf;
    }

    public int size() {
        return size;
    }

    /** Forgets what was written, keeping the array. */
    public void clear() {
        size = 0;
    }

    /** Starts a row of {@code fields} values. */
    public BinaryCopy row(int fields) {
        return int16(fields);
    }

    public BinaryCopy nullValue() {
        return int32(-1);
    }

    /** A {@code text} or {@code varchar} value as UTF-8, or NULL. */
    public BinaryCopy text(String value) {
        return value == null ? nullValue() : bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code text} value already in UTF-8. */
    public BinaryCopy bytes(byte[] utf8) {
        int32(utf8.length);
        room(utf8.length);
        System.arraycopy(utf8, 0, buf, size, utf8.length);
        size += utf8.length;
        return this;
    }

    public BinaryCopy int4(int value) {
        return int32(4).int32(value);
    }

    public BinaryCopy int8(long value) {
        return int32(8).int64(value);
    }

    public BinaryCopy bool(boolean value) {
        int32(1);
        room(1);
        buf[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    public BinaryCopy uuid(UUID value) {
        return value == null ? nullValue()
                : int32(16).int64(value.getMostSignificantBits()).int64(value.getLeastSignificantBits());
    }

    /** A {@code timestamptz}: the instant's microseconds since PostgreSQL's epoch, its nanoseconds below cut off. */
    public BinaryCopy timestamptz(Instant value) {
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond() - POSTGRES_EPOCH_SECOND, 1_000_000L),
                value.getNano() / 1_000);
        return int32(8).int64(micros);
    }

    private void room(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    private BinaryCopy int16(int value) {
        room(2);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
        return this;
    }

    private BinaryCopy int32(int value) {
        room(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    private BinaryCopy int64(long value) {
        room(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
        return this;
    }
}
