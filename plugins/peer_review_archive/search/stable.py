"""Make a Pagefind bundle byte-identical between builds of the same site.

Pagefind 1.5 writes each filter's values in hash-map order, which changes from run to run
(upstream issue Pagefind/pagefind#638: "other files will still change, such as the
filter/metadata indexes"), so the filter files, the metadata file that names them and
`pagefind-entry.json` differ between two builds of the same records. Here the filter
values are put in sorted order and those files renamed after their content; everything
else Pagefind writes is already stable. The files are gzipped CBOR behind a signature;
only the CBOR Pagefind uses (integers, strings, definite arrays and maps) is read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

SIGNATURE = b"pagefind_dcd"


# --- the CBOR subset -----------------------------------------------------------------------


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """Major type, argument and the offset after the head of the item at `at`."""
    major, info = data[at] >> 5, data[at] & 0x1F
    if info < 24:
        return major, info, at + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise ValueError(f"unsupported CBOR item at byte {at}")
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    major, arg, at = _head(data, at)
    if major == 0:
        return arg, at
    if major == 1:  # a negative integer: the index chunks' weight markers
        return -1 - arg, at
    if major in (2, 3):
        raw = data[at:at + arg]
        return (raw if major == 2 else raw.decode("utf-8")), at + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(arg):
            key, at = _decode(data, at)
            pairs[key], at = _decode(data, at)
        return pairs, at
    raise ValueError(f"unsupported CBOR major type {major}")


def _encode_head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("unsupported CBOR value")
    if isinstance(value, int):
        return _encode_head(0, value) if value >= 0 else _encode_head(1, -1 - value)
    if isinstance(value, bytes):
        return _encode_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    if isinstance(value, list):
        return _encode_head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _encode_head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise ValueError(f"unsupported CBOR value {type(value).__name__}")


# --- Pagefind's files ------------------------------------------------------------------------


def read(raw: bytes, name: str) -> Any:
    raw = gzip.decompress(raw)
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{name}: not a Pagefind file")
    value, _ = _decode(raw, len(SIGNATURE))
    return value


def _named(value: Any, digits: int) -> tuple[str, bytes]:
    """`value` as a Pagefind file, and a hash of its content to name it by."""
    raw = SIGNATURE + _encode(value)
    return hashlib.sha256(raw).hexdigest()[:digits], gzip.compress(raw, compresslevel=9, mtime=0)


def stabilise(files: dict[str, bytes]) -> dict[str, bytes]:
    """A bundle's files (path -> bytes) with filters, metadata and entry in a stable order."""
    out = dict(files)
    entry = json.loads(out["pagefind-entry.json"])
    for language, index in entry["languages"].items():
        meta_name = f"pagefind.{index['hash']}.pf_meta"
        meta = read(out.pop(meta_name), meta_name)
        renamed: dict[str, str] = {}
        for path in sorted(p for p in files if p.startswith(f"filter/{language}_") and p.endswith(".pf_filter")):
            name, values = read(out.pop(path), path)
            values.sort(key=lambda pair: pair[0])
            digest, data = _named([name, values], 7)
            renamed[path.removeprefix("filter/").removesuffix(".pf_filter")] = f"{language}_{digest}"
            out[f"filter/{language}_{digest}.pf_filter"] = data
        _rename_filters(meta, renamed)
        digest, data = _named(meta, 10)
        index["hash"] = f"{language}_{digest}"
        out[f"pagefind.{language}_{digest}.pf_meta"] = data
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return out


def _rename_filters(meta: Any, renamed: dict[str, str]) -> None:
    """Point the metadata's [filter name, file hash] pairs at the rewritten files, in name order."""
    for item in meta if isinstance(meta, list) else ():
        if (isinstance(item, list) and item and all(
                isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str) and pair[1] in renamed
                for pair in item)):
            for pair in item:
                pair[1] = renamed[pair[1]]
            item.sort(key=lambda pair: pair[0])
