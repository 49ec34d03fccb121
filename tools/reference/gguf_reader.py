"""Minimal, independent GGUF v3 reader and dequantizer (numpy only).

Reference tooling for Seriatim's golden tests. Run on a developer machine,
never in CI. Written from the GGUF format description (ggml docs/gguf.md) and
ggml's block layouts; it deliberately shares no code with the Java engine.

Layout (all little-endian):
  header:  magic "GGUF" | version u32 | tensor_count u64 | kv_count u64
  kv:      key string | value type u32 | value
  string:  u64 byte length | UTF-8 bytes (no terminator)
  array:   element type u32 | u64 count | elements
  tensors: name string | n_dims u32 | dims u64 * n_dims | ggml type u32 | offset u64
  data:    starts at the next multiple of general.alignment (default 32) after
           the tensor infos; tensor offsets are relative to that start.

ggml dims are innermost-first: dims[0] is the row length. A tensor with ggml
dims [ne0, ne1, ...] is returned as a numpy array of shape (..., ne1, ne0), so a
weight with ggml dims [in, out] becomes an (out, in) matrix.
"""

import mmap
import struct

import numpy as np

GGUF_MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32

# Metadata value types.
T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32 = 0, 1, 2, 3, 4, 5
T_FLOAT32, T_BOOL, T_STRING, T_ARRAY = 6, 7, 8, 9
T_UINT64, T_INT64, T_FLOAT64 = 10, 11, 12

SCALAR_DTYPES = {
    T_UINT8: np.dtype("<u1"),
    T_INT8: np.dtype("<i1"),
    T_UINT16: np.dtype("<u2"),
    T_INT16: np.dtype("<i2"),
    T_UINT32: np.dtype("<u4"),
    T_INT32: np.dtype("<i4"),
    T_FLOAT32: np.dtype("<f4"),
    T_BOOL: np.dtype("<u1"),
    T_UINT64: np.dtype("<u8"),
    T_INT64: np.dtype("<i8"),
    T_FLOAT64: np.dtype("<f8"),
}

# ggml tensor types handled here: id -> (name, elements per block, bytes per block)
GGML_F32, GGML_F16, GGML_Q4_0, GGML_Q8_0, GGML_BF16 = 0, 1, 2, 8, 30
GGML_Q4_K, GGML_Q5_K, GGML_Q6_K = 12, 13, 14
GGML_Q4_1, GGML_Q5_0, GGML_Q5_1 = 3, 6, 7
GGML_TYPES = {
    GGML_F32: ("F32", 1, 4),
    GGML_F16: ("F16", 1, 2),
    GGML_Q4_0: ("Q4_0", 32, 2 + 16),  # fp16 d, 16 bytes of nibbles
    GGML_Q8_0: ("Q8_0", 32, 2 + 32),  # fp16 d, 32 int8
    GGML_BF16: ("BF16", 1, 2),
    GGML_Q4_1: ("Q4_1", 32, 2 + 2 + 16),  # fp16 d, fp16 m, 16 bytes of nibbles
    GGML_Q5_0: ("Q5_0", 32, 2 + 4 + 16),  # fp16 d, u32 fifth bits, nibbles
    GGML_Q5_1: ("Q5_1", 32, 2 + 2 + 4 + 16),  # fp16 d, fp16 m, u32 fifth bits, nibbles
    # K-quants: super-blocks of 256 values (see dequantize_k below)
    GGML_Q4_K: ("Q4_K", 256, 2 + 2 + 12 + 128),  # d, dmin, 6-bit scales/mins, nibbles
    GGML_Q5_K: ("Q5_K", 256, 2 + 2 + 12 + 32 + 128),  # ... plus a 32-byte high-bit plane
    GGML_Q6_K: ("Q6_K", 256, 128 + 64 + 16 + 2),  # low nibbles, 2-bit highs, int8 scales, d
}


class GGUFError(Exception):
    pass


class TensorInfo:
    __slots__ = ("name", "dims", "ggml_type", "offset")

    def __init__(self, name, dims, ggml_type, offset):
        self.name = name
        self.dims = dims  # ggml order, innermost first
        self.ggml_type = ggml_type
        self.offset = offset  # relative to the data section

    @property
    def n_elements(self):
        n = 1
        for d in self.dims:
            n *= d
        return n

    @property
    def shape(self):
        """numpy shape (outermost first)."""
        return tuple(reversed(self.dims))

    @property
    def type_name(self):
        t = GGML_TYPES.get(self.ggml_type)
        return t[0] if t else "type%d" % self.ggml_type

    def n_bytes(self):
        if self.ggml_type not in GGML_TYPES:
            raise GGUFError("tensor %s: unsupported ggml type %d" % (self.name, self.ggml_type))
        _, block, block_bytes = GGML_TYPES[self.ggml_type]
        if self.dims and self.dims[0] % block != 0:
            raise GGUFError("tensor %s: row length %d not a multiple of block size %d"
                            % (self.name, self.dims[0], block))
        return self.n_elements // block * block_bytes


class _Cursor:
    def __init__(self, buf):
        self.buf = buf
        self.pos = 0

    def take(self, n):
        if self.pos + n > len(self.buf):
            raise GGUFError("unexpected end of file at offset %d" % self.pos)
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def string(self):
        n = self.u64()
        return bytes(self.take(n)).decode("utf-8")

    def value(self, vtype):
        if vtype == T_STRING:
            return self.string()
        if vtype == T_ARRAY:
            etype = self.u32()
            count = self.u64()
            if etype in SCALAR_DTYPES:
                dt = SCALAR_DTYPES[etype]
                arr = np.frombuffer(self.take(count * dt.itemsize), dtype=dt)
                if etype == T_BOOL:
                    return [bool(v) for v in arr]
                return arr.tolist()
            return [self.value(etype) for _ in range(count)]
        if vtype in SCALAR_DTYPES:
            dt = SCALAR_DTYPES[vtype]
            v = np.frombuffer(self.take(dt.itemsize), dtype=dt)[0]
            if vtype == T_BOOL:
                return bool(v)
            return v.item()
        raise GGUFError("unknown metadata value type %d at offset %d" % (vtype, self.pos))


class GGUFFile:
    """Parsed GGUF file. Tensor data stays memory-mapped; dequantize on demand."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self._mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        buf = memoryview(self._mm)
        c = _Cursor(buf)
        if bytes(c.take(4)) != GGUF_MAGIC:
            raise GGUFError("%s: not a GGUF file (bad magic)" % path)
        self.version = c.u32()
        if self.version != 3:
            raise GGUFError("%s: unsupported GGUF version %d (need 3)" % (path, self.version))
        n_tensors = c.u64()
        n_kv = c.u64()
        self.metadata = {}
        self.metadata_types = {}
        for _ in range(n_kv):
            key = c.string()
            vtype = c.u32()
            if key in self.metadata:
                raise GGUFError("duplicate metadata key %r" % key)
            self.metadata[key] = c.value(vtype)
            self.metadata_types[key] = vtype
        self.tensors = {}
        self.tensor_order = []
        for _ in range(n_tensors):
            name = c.string()
            n_dims = c.u32()
            dims = [c.u64() for _ in range(n_dims)]
            ggml_type = c.u32()
            offset = c.u64()
            if name in self.tensors:
                raise GGUFError("duplicate tensor name %r" % name)
            self.tensors[name] = TensorInfo(name, dims, ggml_type, offset)
            self.tensor_order.append(name)
        self.alignment = int(self.metadata.get("general.alignment", DEFAULT_ALIGNMENT))
        if self.alignment <= 0:
            raise GGUFError("bad general.alignment %d" % self.alignment)
        a = self.alignment
        self.data_offset = (c.pos + a - 1) // a * a
        for t in self.tensors.values():
            end = self.data_offset + t.offset + t.n_bytes()
            if end > len(self._mm):
                raise GGUFError("tensor %s extends past end of file" % t.name)
        self._buf = buf

    def get(self, key, default=None):
        return self.metadata.get(key, default)

    def raw_bytes(self, name):
        t = self.tensors[name]
        start = self.data_offset + t.offset
        return np.frombuffer(self._buf[start:start + t.n_bytes()], dtype=np.uint8)

    def tensor(self, name):
        """Dequantized tensor as float32 numpy array of numpy shape (reversed ggml dims)."""
        if name not in self.tensors:
            raise KeyError(name)
        t = self.tensors[name]
        flat = dequantize(self.raw_bytes(name), t.ggml_type, t.n_elements)
        return flat.reshape(t.shape)

    def has(self, name):
        return name in self.tensors


def fp16_bits_to_f32(u16):
    return np.asarray(u16, dtype="<u2").view("<f2").astype(np.float32)


def dequantize(raw, ggml_type, n_elements):
    """Dequantize raw tensor bytes into a flat float32 array in ggml element order.

    All supported formats dequantize exactly in float32 (fp16 scale times a small
    integer), so float32 output loses nothing."""
    raw = np.ascontiguousarray(raw, dtype=np.uint8)
    if ggml_type == GGML_F32:
        return raw.view("<f4").astype(np.float32)[:n_elements]
    if ggml_type == GGML_F16:
        return raw.view("<f2").astype(np.float32)[:n_elements]
    if ggml_type == GGML_BF16:
        # bf16 is the upper half of an IEEE float32
        return (raw.view("<u2").astype(np.uint32) << 16).view("<f4")[:n_elements].astype(np.float32)
    if ggml_type == GGML_Q8_0:
        nb = n_elements // 32
        blocks = raw[:nb * 34].reshape(nb, 34)
        d = blocks[:, 0:2].copy().view("<f2").astype(np.float32)  # (nb, 1)
        q = blocks[:, 2:34].copy().view(np.int8).astype(np.float32)  # (nb, 32)
        return (d * q).reshape(-1)
    if ggml_type == GGML_Q4_0:
        nb = n_elements // 32
        blocks = raw[:nb * 18].reshape(nb, 18)
        d = blocks[:, 0:2].copy().view("<f2").astype(np.float32)  # (nb, 1)
        qs = blocks[:, 2:18]
        lo = (qs & 0x0F).astype(np.int16) - 8  # elements 0..15
        hi = (qs >> 4).astype(np.int16) - 8  # elements 16..31
        q = np.concatenate([lo, hi], axis=1).astype(np.float32)
        return (d * q).reshape(-1)
    if ggml_type in (GGML_Q4_1, GGML_Q5_0, GGML_Q5_1):
        return dequantize_32_with_offset_or_fifth_bit(raw, ggml_type, n_elements)
    if ggml_type in (GGML_Q4_K, GGML_Q5_K, GGML_Q6_K):
        return dequantize_k(raw, ggml_type, n_elements)
    name = GGML_TYPES.get(ggml_type, ("type %d" % ggml_type,))[0]
    raise GGUFError("dequantization of ggml type %s not supported" % name)


def _f16(cols):
    """fp16 values stored little-endian in a (nb, 2) uint8 slice, as a (nb, 1) float32 column."""
    return np.ascontiguousarray(cols).view("<f2").astype(np.float32)


def _six_bit_scales_and_mins(s):
    """Unpack the 12 scale bytes of Q4_K/Q5_K, shape (nb, 12), into (nb, 8) scales and mins.

    Sub-blocks 0..3 keep scale and min in the low 6 bits of bytes j and j+4; sub-blocks
    4..7 keep their low nibbles in byte j+4 (scale low, min high) and their top two bits
    in the spare top bits of bytes j-4 (scale) and j (min)."""
    s = s.astype(np.int32)
    sc = np.empty((s.shape[0], 8), dtype=np.int32)
    mn = np.empty((s.shape[0], 8), dtype=np.int32)
    sc[:, 0:4] = s[:, 0:4] & 63
    mn[:, 0:4] = s[:, 4:8] & 63
    sc[:, 4:8] = (s[:, 8:12] & 0x0F) | ((s[:, 0:4] >> 6) << 4)
    mn[:, 4:8] = (s[:, 8:12] >> 4) | ((s[:, 4:8] >> 6) << 4)
    return sc, mn


def dequantize_32_with_offset_or_fifth_bit(raw, ggml_type, n_elements):
    """Q4_1 / Q5_0 / Q5_1 (ggml-common.h): 32 values per block, nibble j holds element j (low)
    and j+16 (high); Q5 types add bit i of a little-endian u32 as element i's 16.
    Q4_1/Q5_1: value = (d * q) + m; Q5_0: value = d * (q - 16); float32 at every step."""
    _, _, size = GGML_TYPES[ggml_type]
    nb = n_elements // 32
    blocks = raw[:nb * size].reshape(nb, size)
    d = _f16(blocks[:, 0:2])
    qs = blocks[:, size - 16:size].astype(np.int32)
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1)  # (nb, 32) in element order
    if ggml_type != GGML_Q4_1:
        at = 2 if ggml_type == GGML_Q5_0 else 4
        qh = np.ascontiguousarray(blocks[:, at:at + 4]).view("<u4").astype(np.int64)  # (nb, 1)
        q = q | (((qh >> np.arange(32)) & 1) << 4).astype(np.int32)
    if ggml_type == GGML_Q5_0:
        return (d * (q - 16).astype(np.float32)).astype(np.float32).reshape(-1)
    m = _f16(blocks[:, 2:4])
    return ((d * q.astype(np.float32)).astype(np.float32) + m).astype(np.float32).reshape(-1)


def dequantize_k(raw, ggml_type, n_elements):
    """Q4_K / Q5_K / Q6_K, written from ggml's block layouts (ggml-common.h).

    Q4_K/Q5_K: value = (d * sc[j]) * q - (dmin * m[j]) for sub-block j of 32 values;
    codes of 64 consecutive values share 32 bytes (low nibbles first 32, high next 32);
    Q5_K adds bit 2c / 2c+1 of qh[l] as the code's 16 for chunk c.
    Q6_K: value = (d * sc[i // 16]) * (q - 32), q = 4 low bits from ql and 2 high bits
    from qh; each 128-value half uses 64 ql bytes and 32 qh bytes.
    Every product is rounded to float32 as the C code does, so the result is exact."""
    _, _, size = GGML_TYPES[ggml_type]
    nb = n_elements // 256
    blocks = raw[:nb * size].reshape(nb, size)
    if ggml_type == GGML_Q6_K:
        ql = blocks[:, 0:128].reshape(nb, 2, 64).astype(np.int32)
        qh = blocks[:, 128:192].reshape(nb, 2, 32).astype(np.int32)
        sc = np.ascontiguousarray(blocks[:, 192:208]).view(np.int8).astype(np.float32)  # (nb, 16)
        d = _f16(blocks[:, 208:210])
        quarters = [
            (ql[:, :, 0:32] & 0x0F) | ((qh & 3) << 4),
            (ql[:, :, 32:64] & 0x0F) | (((qh >> 2) & 3) << 4),
            (ql[:, :, 0:32] >> 4) | (((qh >> 4) & 3) << 4),
            (ql[:, :, 32:64] >> 4) | (((qh >> 6) & 3) << 4),
        ]
        q = (np.stack(quarters, axis=2).reshape(nb, 256) - 32).astype(np.float32)
        scale = (d * sc).astype(np.float32)  # (nb, 16)
        return (np.repeat(scale, 16, axis=1) * q).astype(np.float32).reshape(-1)
    d = _f16(blocks[:, 0:2])
    dmin = _f16(blocks[:, 2:4])
    sc, mn = _six_bit_scales_and_mins(blocks[:, 4:16])
    if ggml_type == GGML_Q4_K:
        qs = blocks[:, 16:144].reshape(nb, 4, 32).astype(np.int32)
        lo, hi = qs & 0x0F, qs >> 4
    else:
        qh = blocks[:, 16:48].astype(np.int32)  # (nb, 32)
        qs = blocks[:, 48:176].reshape(nb, 4, 32).astype(np.int32)
        chunk = np.arange(4).reshape(1, 4, 1)
        lo = (qs & 0x0F) | (((qh[:, None, :] >> (2 * chunk)) & 1) << 4)
        hi = (qs >> 4) | (((qh[:, None, :] >> (2 * chunk + 1)) & 1) << 4)
    q = np.stack([lo, hi], axis=2).reshape(nb, 8, 32).astype(np.float32)
    scale = (d * sc.astype(np.float32)).astype(np.float32)[:, :, None]
    minimum = (dmin * mn.astype(np.float32)).astype(np.float32)[:, :, None]
    return (scale * q - minimum).astype(np.float32).reshape(-1)


def float_json(values, as_float32=True):
    """Format floats as a JSON array with full precision.

    With as_float32 the values are first rounded to float32 and printed as the
    exact decimal repr of that float32 (as a double), so both Float.parseFloat and
    Double.parseDouble recover the float32 bit pattern exactly."""
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if as_float32:
        arr = arr.astype(np.float32).astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise GGUFError("non-finite value cannot be written as JSON")
    return "[" + ", ".join(repr(v) for v in arr.tolist()) + "]"
