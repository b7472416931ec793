package io.github.eventsstats.embedded;

/**
 * CityHash128 as ClickHouse computes it (CityHash v1.0.2): the checksum of each block of its
 * compressed transport. Ported from clickhouse-java's {@code ClickHouseCityHash} (Apache License
 * 2.0, after tamtam180's port of Google's CityHash), because the engine's process has only the JDK.
 */
final class CityHash128 {

    private static final long K0 = 0xc3a5c85c97cb3127L;
    private static final long K1 = 0xb492b66fbe98f273L;
    private static final long K2 = 0x9ae16a3b2f90404fL;
    private static final long K3 = 0xc949d7c7509e6557L;
    private static final long K_MUL = 0x9ddfea08eb382d69L;

    private CityHash128() {
    }

    /** The hash of {@code s[pos, pos + len)}: {low 64 bits, high 64 bits}, as written little-endian in that order. */
    static long[] hash(byte[] s, int pos, int len) {
        if (len >= 16) {
            return withSeed(s, pos + 16, len - 16, fetch64(s, pos) ^ K3, fetch64(s, pos + 8));
        } else if (len >= 8) {
            return withSeed(new byte[0], 0, 0, fetch64(s, pos) ^ (len * K0), fetch64(s, pos + len - 8) ^ K1);
        }
        return withSeed(s, pos, len, K0, K1);
    }

    private static long fetch64(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                | (b[i + 7] & 0xffL) << 56;
    }

    private static long fetch32(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    private static long rotate(long val, int shift) {
        return shift == 0 ? val : Long.rotateRight(val, shift);
    }

    private static long shiftMix(long val) {
        return val ^ (val >>> 47);
    }

    private static long hashLen16(long u, long v) {
        long a = (u ^ v) * K_MUL;
        a ^= a >>> 47;
        long b = (v ^ a) * K_MUL;
        b ^= b >>> 47;
        return b * K_MUL;
    }

    private static long hashLen0to16(byte[] s, int pos, int len) {
        if (len > 8) {
            long a = fetch64(s, pos);
            long b = fetch64(s, pos + len - 8);
            return hashLen16(a, Long.rotateRight(b + len, len)) ^ b;
        }
        if (len >= 4) {
            long a = fetch32(s, pos);
            return hashLen16((a << 3) + len, fetch32(s, pos + len - 4));
        }
        if (len > 0) {
            int y = (s[pos] & 0xff) + ((s[pos + (len >>> 1)] & 0xff) << 8);
            int z = len + ((s[pos + len - 1] & 0xff) << 2);
            return shiftMix(y * K2 ^ z * K3) * K2;
        }
        return K2;
    }

    private static void weakHashLen32WithSeeds(byte[] s, int pos, long a, long b, long[] out) {
        long w = fetch64(s, pos);
        long x = fetch64(s, pos + 8);
        long y = fetch64(s, pos + 16);
        long z = fetch64(s, pos + 24);
        a += w;
        b = rotate(b + a + z, 21);
        long c = a;
        a += x;
        a += y;
        b += rotate(a, 44);
        out[0] = a + z;
        out[1] = b + c;
    }

    private static long[] cityMurmur(byte[] s, int pos, int len, long seed0, long seed1) {
        long a = seed0;
        long b = seed1;
        long c;
        long d;
        int l = len - 16;
        if (l <= 0) {
            a = shiftMix(a * K1) * K1;
            c = b * K1 + hashLen0to16(s, pos, len);
            d = shiftMix(a + (len >= 8 ? fetch64(s, pos) : c));
        } else {
            c = hashLen16(fetch64(s, pos + len - 8) + K1, a);
            d = hashLen16(b + len, c + fetch64(s, pos + len - 16));
            a += d;
            do {
                a ^= shiftMix(fetch64(s, pos) * K1) * K1;
                a *= K1;
                b ^= a;
                c ^= shiftMix(fetch64(s, pos + 8) * K1) * K1;
                c *= K1;
                d ^= c;
                pos += 16;
                l -= 16;
            } while (l > 0);
        }
        a = hashLen16(a, c);
        b = hashLen16(d, b);
        return new long[] {a ^ b, hashLen16(b, a)};
    }

    private static long[] withSeed(byte[] s, int pos, int len, long seed0, long seed1) {
        if (len < 128) {
            return cityMurmur(s, pos, len, seed0, seed1);
        }
        long[] v = new long[2];
        long[] w = new long[2];
        long x = seed0;
        long y = seed1;
        long z = K1 * len;
        v[0] = rotate(y ^ K1, 49) * K1 + fetch64(s, pos);
        v[1] = rotate(v[0], 42) * K1 + fetch64(s, pos + 8);
        w[0] = rotate(y + z, 35) * K1 + x;
        w[1] = rotate(x + fetch64(s, pos + 88), 53) * K1;
        do {
            for (int half = 0; half < 2; half++) {
                x = rotate(x + y + v[0] + fetch64(s, pos + 16), 37) * K1;
                y = rotate(y + v[1] + fetch64(s, pos + 48), 42) * K1;
                x ^= w[1];
                y ^= v[0];
                z = rotate(z ^ w[0], 33);
                weakHashLen32WithSeeds(s, pos, v[1] * K1, x + w[0], v);
                weakHashLen32WithSeeds(s, pos + 32, z + w[1], y, w);
                long swap = z;
                z = x;
                x = swap;
                pos += 64;
            }
            len -= 128;
        } while (len >= 128);
        y += rotate(w[0], 37) * K0 + z;
        x += rotate(v[0] + z, 49) * K0;
        // The last 0 < len < 128 bytes, in up to four chunks of 32 counted from the end.
        for (int tailDone = 0; tailDone < len; ) {
            tailDone += 32;
            y = rotate(y - x, 42) * K0 + v[1];
            w[0] += fetch64(s, pos + len - tailDone + 16);
            x = rotate(x, 49) * K0 + w[0];
            w[0] += v[0];
            weakHashLen32WithSeeds(s, pos + len - tailDone, v[0], v[1], v);
        }
        x = hashLen16(x, v[0]);
        y = hashLen16(y, w[0]);
        return new long[] {hashLen16(x + v[1], w[1]) + y, hashLen16(x + w[1], y + v[1])};
    }
}
