#!/usr/bin/env python3
"""Independent check of guests/programs/fp.c output (read from stdin or a file).

Every table line "OP RM a=.. [b=..] [c=..] -> R fflags=F" is recomputed here from the
IEEE 754-2008 / RISC-V F and D rules with exact rational arithmetic (fractions), and the
hand-made lines after the tables are compared with values derived from the spec. Exit 0
if every line agrees."""
import math
import sys
from fractions import Fraction as Q

NV, DZ, OF, UF, NX = 16, 8, 4, 2, 1
FMT = {'d': (11, 52), 's': (8, 23)}
CANON = {'d': 0x7ff8000000000000, 's': 0x7fc00000}
RMS = ['rne', 'rtz', 'rdn', 'rup', 'rmm']


def params(f):
    e, m = FMT[f]
    bias = (1 << (e - 1)) - 1
    return e, m, bias, 1 - bias, (1 << e) - 1


def decode(bits, f):
    e, m, bias, emin, emax = params(f)
    sign = bits >> (e + m) & 1
    ex = bits >> m & ((1 << e) - 1)
    man = bits & ((1 << m) - 1)
    if ex == emax:
        if man == 0:
            return ('inf', sign)
        return ('snan' if not man >> (m - 1) else 'qnan', sign)
    if ex == 0:
        v = Q(man, 1 << (m - emin)) if emin <= m else Q(man) / Q(2) ** (m - emin)
    else:
        v = Q(man + (1 << m)) * Q(2) ** (ex - bias - m)
    if v == 0:
        return ('zero', sign)
    return ('num', -v if sign else v)


def ilog2(v):
    """floor(log2(v)) for a positive Fraction."""
    n, d = v.numerator, v.denominator
    e = n.bit_length() - d.bit_length()
    if Q(2) ** e > v:
        e -= 1
    if Q(2) ** (e + 1) <= v:
        e += 1
    return e


def round_int(x, rm, neg):
    """Round the non-negative Fraction x (magnitude of a value with sign neg) to an integer."""
    fl = x.numerator // x.denominator
    rest = x - fl
    if rest == 0:
        return fl
    if rm == 'rtz':
        return fl
    if rm == 'rdn':
        return fl + 1 if neg else fl
    if rm == 'rup':
        return fl if neg else fl + 1
    if rest > Q(1, 2):
        return fl + 1
    if rest < Q(1, 2):
        return fl
    return fl + 1 if rm == 'rmm' else fl + (fl & 1)


def encode_finite(mag, neg, f):
    e, m, bias, emin, emax = params(f)
    sign = (1 << (e + m)) if neg else 0
    if mag == 0:
        return sign
    ex = ilog2(mag)
    if ex < emin:
        man = mag / Q(2) ** (emin - m)
        assert man.denominator == 1
        return sign | int(man)
    man = mag / Q(2) ** (ex - m)
    assert man.denominator == 1
    return sign | (ex + bias) << m | (int(man) - (1 << m))


def round_to(v, rm, f):
    """Round the nonzero Fraction v to format f; returns (bits, flags)."""
    e, m, bias, emin, emax = params(f)
    neg = v < 0
    mag = -v if neg else v
    ex = max(ilog2(mag), emin)
    q = Q(2) ** (ex - m)
    n = round_int(mag / q, rm, neg)
    r = n * q
    flags = NX if r != mag else 0
    maxv = (Q(2) ** (m + 1) - 1) * Q(2) ** (emax - 1 - bias - m)
    if r > maxv:
        flags = OF | NX
        to_inf = rm in ('rne', 'rmm') or (rm == 'rup' and not neg) or (rm == 'rdn' and neg)
        if to_inf:
            return ((1 << (e + m)) if neg else 0) | emax << m, flags
        return encode_finite(maxv, neg, f), flags
    # Tininess after rounding: round with unbounded exponent range.
    q2 = Q(2) ** (ilog2(mag) - m)
    r2 = round_int(mag / q2, rm, neg) * q2
    if r2 < Q(2) ** emin and r != mag:
        flags |= UF
    return encode_finite(r, neg, f), flags


def zero(neg, f):
    e, m = FMT[f]
    return (1 << (e + m)) if neg else 0


def inf(neg, f):
    e, m, bias, emin, emax = params(f)
    return ((1 << (e + m)) if neg else 0) | emax << m


def value_or_zero(d):
    return d[1] if d[0] == 'num' else Q(0)


def exact_sum_result(exact, zero_sign_if_exact_zero, rm, f):
    if exact != 0:
        return round_to(exact, rm, f)
    return zero(zero_sign_if_exact_zero, f), 0


def nan_in(ds):
    flags = NV if any(d[0] == 'snan' for d in ds) else 0
    return any(d[0] in ('snan', 'qnan') for d in ds), flags


def add(a, b, rm, f):
    da, db = decode(a, f), decode(b, f)
    isnan, fl = nan_in([da, db])
    if isnan:
        return CANON[f], fl
    if da[0] == 'inf' or db[0] == 'inf':
        if da[0] == 'inf' and db[0] == 'inf' and da[1] != db[1]:
            return CANON[f], NV
        return inf((da if da[0] == 'inf' else db)[1], f), 0
    if da[0] == 'zero' and db[0] == 'zero':
        neg = (da[1] and db[1]) or (da[1] != db[1] and rm == 'rdn')
        return zero(neg, f), 0
    s = value_or_zero(da) + value_or_zero(db)
    return exact_sum_result(s, rm == 'rdn', rm, f)


def neg_bits(x, f):
    e, m = FMT[f]
    return x ^ (1 << (e + m))


def mul_core(da, db, f):
    """Special cases of a product: returns ('nan', flags) / ('inf', sign) / ('zero', sign) / ('num', v)."""
    isnan, fl = nan_in([da, db])
    if isnan:
        return ('nan', fl)
    sign = (da[1] < 0 if da[0] == 'num' else da[1]) != (db[1] < 0 if db[0] == 'num' else db[1])
    if (da[0] == 'inf' and db[0] == 'zero') or (da[0] == 'zero' and db[0] == 'inf'):
        return ('nan', NV)
    if da[0] == 'inf' or db[0] == 'inf':
        return ('inf', sign)
    if da[0] == 'zero' or db[0] == 'zero':
        return ('zero', sign)
    return ('num', da[1] * db[1])


def mul(a, b, rm, f):
    p = mul_core(decode(a, f), decode(b, f), f)
    if p[0] == 'nan':
        return CANON[f], p[1]
    if p[0] == 'inf':
        return inf(p[1], f), 0
    if p[0] == 'zero':
        return zero(p[1], f), 0
    return round_to(p[1], rm, f)


def div(a, b, rm, f):
    da, db = decode(a, f), decode(b, f)
    isnan, fl = nan_in([da, db])
    if isnan:
        return CANON[f], fl
    sa = da[1] < 0 if da[0] == 'num' else da[1]
    sb = db[1] < 0 if db[0] == 'num' else db[1]
    sign = sa != sb
    if (da[0] == 'inf' and db[0] == 'inf') or (da[0] == 'zero' and db[0] == 'zero'):
        return CANON[f], NV
    if da[0] == 'inf':
        return inf(sign, f), 0
    if db[0] == 'inf':
        return zero(sign, f), 0
    if db[0] == 'zero':
        return inf(sign, f), DZ
    if da[0] == 'zero':
        return zero(sign, f), 0
    return round_to(da[1] / db[1], rm, f)


def sqrt(a, rm, f):
    da = decode(a, f)
    if da[0] in ('snan', 'qnan'):
        return CANON[f], NV if da[0] == 'snan' else 0
    if da[0] == 'zero':
        return a, 0
    if da[0] == 'inf':
        return (a, 0) if not da[1] else (CANON[f], NV)
    if da[1] < 0:
        return CANON[f], NV
    v = da[1]
    # Exact rational square root to enough bits: floor(sqrt(v * 2^2k)) with sticky.
    e, m = FMT[f]
    k = 200 + max(0, -ilog2(v))
    scaled = v * Q(2) ** (2 * k)
    n = scaled.numerator // scaled.denominator
    s = math.isqrt(n)
    exact = Q(s * s) == scaled
    approx = Q(s, 1 << k)
    if not exact:
        approx += Q(1, 1 << (k + 1))   # sticky: strictly between s and s+1
    return round_to(approx, rm, f)


def fma(a, b, c, rm, f, neg_prod, neg_add):
    da, db, dc = decode(a, f), decode(b, f), decode(c, f)
    p = mul_core(da, db, f)
    fl = NV if dc[0] == 'snan' else 0
    if p[0] == 'nan':
        # inf * 0 is invalid even when the addend is a quiet NaN.
        return CANON[f], p[1] | fl
    if dc[0] in ('snan', 'qnan'):
        return CANON[f], fl
    if neg_prod:
        p = (p[0], (not p[1]) if p[0] != 'num' else -p[1])
    if neg_add:
        dc = decode(neg_bits(c, f), f)
    if p[0] == 'inf':
        if dc[0] == 'inf' and dc[1] != p[1]:
            return CANON[f], NV
        return inf(p[1], f), 0
    if dc[0] == 'inf':
        return inf(dc[1], f), 0
    if p[0] == 'zero' and dc[0] == 'zero':
        neg = (p[1] and dc[1]) or (p[1] != dc[1] and rm == 'rdn')
        return zero(neg, f), 0
    s = (p[1] if p[0] == 'num' else 0) + value_or_zero(dc)
    return exact_sum_result(s, rm == 'rdn', rm, f)


def is_nan(d):
    return d[0] in ('snan', 'qnan')


def num(d):
    if d[0] == 'num':
        return d[1]
    if d[0] == 'zero':
        return Q(0)
    return None


def less(da, db):
    """Ordered a < b for non-NaN values (infinities included, -0 == +0)."""
    def key(d):
        if d[0] == 'inf':
            return (1 if not d[1] else -1, Q(0))
        return (0, num(d))
    return key(da) < key(db)


def minmax(a, b, f, is_max):
    da, db = decode(a, f), decode(b, f)
    fl = NV if da[0] == 'snan' or db[0] == 'snan' else 0
    if is_nan(da) and is_nan(db):
        return CANON[f], fl
    if is_nan(da):
        return b, fl
    if is_nan(db):
        return a, fl
    if da[0] == 'zero' and db[0] == 'zero':
        sa, sb = da[1], db[1]
        if is_max:
            return (a if not sa else b), 0
        return (a if sa else b), 0
    if is_max:
        return (b if less(da, db) else a), 0
    return (a if less(da, db) else b), 0


def compare(a, b, f, op):
    da, db = decode(a, f), decode(b, f)
    if is_nan(da) or is_nan(db):
        if op == 'feq':
            return 0, NV if da[0] == 'snan' or db[0] == 'snan' else 0
        return 0, NV
    eq = not less(da, db) and not less(db, da)
    if op == 'feq':
        return int(eq), 0
    if op == 'flt':
        return int(less(da, db)), 0
    return int(less(da, db) or eq), 0


def fclass(a, f):
    d = decode(a, f)
    e, m, bias, emin, emax = params(f)
    neg = a >> (e + m) & 1
    if d[0] == 'inf':
        return 1 << (0 if neg else 7)
    if d[0] == 'zero':
        return 1 << (3 if neg else 4)
    if d[0] == 'snan':
        return 1 << 8
    if d[0] == 'qnan':
        return 1 << 9
    sub = (a >> m & ((1 << e) - 1)) == 0
    if neg:
        return 1 << (2 if sub else 1)
    return 1 << (5 if sub else 6)


def sgnj(a, b, f, kind):
    e, m = FMT[f]
    sbit = 1 << (e + m)
    if kind == 'fsgnj':
        s = b & sbit
    elif kind == 'fsgnjn':
        s = (b & sbit) ^ sbit
    else:
        s = (a ^ b) & sbit
    return (a & ~sbit) | s, 0


def to_int(a, f, rm, bits, signed):
    d = decode(a, f)
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if is_nan(d):
        r, fl = hi, NV
    elif d[0] == 'inf':
        r, fl = (lo if d[1] else hi), NV
    else:
        v = num(d)
        neg = v < 0
        n = round_int(-v if neg else v, rm, neg)
        n = -n if neg else n
        if n < lo or n > hi:
            r, fl = (lo if neg else hi), NV
        else:
            r, fl = n, (NX if n != v else 0)
    r &= (1 << bits) - 1
    if bits == 32:   # 32-bit results are sign-extended into the 64-bit register
        r = r | 0xffffffff00000000 if r >> 31 else r
    return r, fl


def from_int(x, f, rm, bits, signed):
    x &= (1 << bits) - 1
    if signed and x >> (bits - 1):
        x -= 1 << bits
    if x == 0:
        return 0, 0
    return round_to(Q(x), rm, f)


def cvt_fmt(a, src, dst, rm):
    d = decode(a, src)
    if is_nan(d):
        return CANON[dst], NV if d[0] == 'snan' else 0
    if d[0] == 'inf':
        return inf(d[1], dst), 0
    if d[0] == 'zero':
        return zero(d[1], dst), 0
    return round_to(d[1], rm, dst)


def model(op, rm, args):
    name, _, fmt = op.rpartition('_')
    if op.startswith('fcvt_'):
        parts = op.split('_')   # fcvt, dst, src
        dst, src = parts[1], parts[2]
        if dst in ('d', 's') and src in ('d', 's'):
            return cvt_fmt(args[0], src, dst, rm)
        if dst in ('d', 's'):
            return from_int(args[0], dst, rm, 32 if src.startswith('w') else 64, not src.endswith('u'))
        return to_int(args[0], src, rm, 32 if dst.startswith('w') else 64, not dst.endswith('u'))
    a = args[0]
    b = args[1] if len(args) > 1 else None
    c = args[2] if len(args) > 2 else None
    f = fmt
    if name == 'fadd':
        return add(a, b, rm, f)
    if name == 'fsub':
        return add(a, neg_bits(b, f), rm, f)
    if name == 'fmul':
        return mul(a, b, rm, f)
    if name == 'fdiv':
        return div(a, b, rm, f)
    if name == 'fsqrt':
        return sqrt(a, rm, f)
    if name == 'fmadd':
        return fma(a, b, c, rm, f, False, False)
    if name == 'fmsub':
        return fma(a, b, c, rm, f, False, True)
    if name == 'fnmsub':
        return fma(a, b, c, rm, f, True, False)
    if name == 'fnmadd':
        return fma(a, b, c, rm, f, True, True)
    if name in ('fmin', 'fmax'):
        return minmax(a, b, f, name == 'fmax')
    if name in ('feq', 'flt', 'fle'):
        return compare(a, b, f, name)
    if name == 'fclass':
        return fclass(a, f), 0
    if name in ('fsgnj', 'fsgnjn', 'fsgnjx'):
        return sgnj(a, b, f, name)
    raise ValueError(op)


SPECIAL = """# static rounding modes (frm = rdn)
fdiv.d,rup 1/3 -> 3fd5555555555556 fflags=01
fcvt.w.d,rne 2.5 -> 0000000000000002 fflags=01
fcvt.w.d,dyn(rdn) 2.5 -> 0000000000000002 fflags=01
fadd.s,rmm 1+2^-24 -> 3f800001 fflags=01
# NaN-boxing
fmv.w.x 1.0f then fmv.x.d -> ffffffff3f800000
fadd.s of an unboxed 1.0f -> ffffffff7fc00000 fflags=00
fsgnj.s 2.0f, unboxed -1.0f -> ffffffff40000000
fmv.x.w of 0x12345678cafebabe -> ffffffffcafebabe
flw of 0x11111111 then fmv.x.d -> ffffffff11111111
fsw of 0xaaaaaaaa22222222 over 0x1111111111111111 -> 1111111122222222
# fcsr
fcsr=0xff -> fcsr=ff frm=7 fflags=1f
fcsr=~0xff|0x75 -> fcsr=75 frm=3 fflags=15
fsrmi 4 (old 3), fsflagsi 3 (old 15) -> fcsr=83
# reserved rounding mode
trap: mcause=2 mtval=0x2107153
trap: mcause=2 mtval=0x58007153
reserved frm trapped: yes
mstatus.FS=3 SD=1
""".splitlines()
# Why: rup rounds 1/3 up; static rne beats frm=rdn, 2.5 ties to even 2; dyn uses rdn -> 2;
# 1 + 2^-24 is a tie in single, rmm rounds away -> 1 + 2^-23. An unboxed single operand is
# the canonical NaN (fadd gives canonical NaN without NV, fsgnj takes its + sign). fmv.x.w
# sign-extends; flw NaN-boxes; fsw stores the low 32 bits. fcsr keeps 8 bits; fsrmi/fsflagsi
# return the old fields. frm 5 and 7 with a dynamic-rounding instruction are illegal; mtval
# is the instruction (fadd.d ft2,ft0,ft1 = 0x02107153; fsqrt.s ft2,ft0 = 0x58007153).


def main():
    lines = (open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin).read().splitlines()
    bad = checked = 0
    special = []
    for line in lines:
        if '=' in line and line.split()[0].startswith('f') and line.split()[1] in RMS:
            parts = line.split()
            op, rm = parts[0], parts[1]
            args = [int(p.split('=')[1], 16) for p in parts[2:] if p[:2] in ('a=', 'b=', 'c=')]
            got = int(parts[parts.index('->') + 1], 16)
            got_flags = int(parts[-1].split('=')[1], 16)
            want, want_flags = model(op, rm, args)
            if op.endswith('_s') and not op.startswith('fcvt') and op.split('_')[0] not in ('feq', 'flt', 'fle', 'fclass'):
                want &= 0xffffffff
            if op.startswith('fcvt_s_'):
                want &= 0xffffffff
            checked += 1
            if (got, got_flags) != (want, want_flags):
                bad += 1
                print(f"MISMATCH: {line}\n    model: {want:x} fflags={want_flags:02x}")
        elif not line.startswith('# ') or line.startswith('# static') or special:
            special.append(line)
    if special != SPECIAL:
        bad += 1
        print("MISMATCH in hand-checked lines:")
        for g, w in zip(special + [''] * 40, SPECIAL + [''] * 40):
            if g != w:
                print(f"  got:  {g}\n  want: {w}")
    print(f"fp.py: {checked} table lines checked, {bad} mismatches", file=sys.stderr)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
