"""lz-string's ``compressToUTF16`` / ``decompressFromUTF16`` (pieroxy/lz-string 1.5), as PRSM
uses them to save ``.prsm`` files.

JavaScript strings are UTF-16 code units, so text is handled as code units here too: the
output matches the JS library's byte for byte (the tests hold outputs made by it).

Example:
    >>> compress_to_utf16("hello")
    'ˢ䰭䰾搠 '
    >>> decompress_from_utf16(compress_to_utf16("café ☕ 😀"))
    'café ☕ 😀'
"""

from __future__ import annotations


def _code_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    return [data[i] | (data[i + 1] << 8) for i in range(0, len(data), 2)]


def _from_code_units(units: list[int]) -> str:
    data = bytearray()
    for unit in units:
        data += bytes((unit & 0xFF, unit >> 8))
    return data.decode("utf-16-le", "surrogatepass")


def compress_to_utf16(text: str) -> str:
    """Compress ``text`` as lz-string's ``compressToUTF16`` does."""
    return "".join(chr(v + 32) for v in _compress(_code_units(text), 15)) + " "


def decompress_from_utf16(compressed: str, max_length: int | None = None) -> str:
    """Undo :func:`compress_to_utf16`; raises ``ValueError`` on data it cannot decode or
    (a decompression bomb) when the result would pass ``max_length`` code units."""
    if compressed == "":
        return ""
    values = [ord(c) - 32 for c in compressed]
    return _from_code_units(_decompress(values, 16384, max_length))


def _compress(units: list[int], bits_per_char: int) -> list[int]:
    dictionary: dict[tuple[int, ...] | int, int] = {}
    to_create: set[int] = set()
    w: tuple[int, ...] = ()
    enlarge_in = 2
    dict_size = 3
    num_bits = 2
    out: list[int] = []
    val = 0
    pos = 0

    def write_bits(value: int, count: int) -> None:
        nonlocal val, pos
        for _ in range(count):
            val = (val << 1) | (value & 1)
            if pos == bits_per_char - 1:
                pos = 0
                out.append(val)
                val = 0
            else:
                pos += 1
            value >>= 1

    def emit(word: tuple[int, ...]) -> None:
        nonlocal enlarge_in, num_bits
        if len(word) == 1 and word[0] in to_create:
            unit = word[0]
            if unit < 256:
                write_bits(0, num_bits)
                write_bits(unit, 8)
            else:
                write_bits(1, num_bits)
                write_bits(unit, 16)
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in = 1 << num_bits
                num_bits += 1
            to_create.discard(unit)
        else:
            write_bits(dictionary[word], num_bits)
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1

    for unit in units:
        single = (unit,)
        if single not in dictionary:
            dictionary[single] = dict_size
            dict_size += 1
            to_create.add(unit)
        wc = (*w, unit)
        if wc in dictionary:
            w = wc
        else:
            emit(w)
            dictionary[wc] = dict_size
            dict_size += 1
            w = single
    if w:
        emit(w)
    write_bits(2, num_bits)  # end of stream
    while True:
        val <<= 1
        if pos == bits_per_char - 1:
            out.append(val)
            break
        pos += 1
    return out


def _decompress(values: list[int], reset_value: int, max_length: int | None) -> list[int]:
    length = len(values)
    dictionary: list[list[int]] = [[0], [1], [2]]
    enlarge_in = 4
    dict_size = 4
    num_bits = 3
    state = {"val": values[0], "position": reset_value, "index": 1}

    def read_bits(count: int) -> int:
        bits = 0
        power = 1
        for _ in range(count):
            resb = state["val"] & state["position"]
            state["position"] >>= 1
            if state["position"] == 0:
                state["position"] = reset_value
                # past the end JS reads NaN (no bits); the main loop stops at the end
                state["val"] = values[state["index"]] if state["index"] < length else 0
                state["index"] += 1
            if resb > 0:
                bits |= power
            power <<= 1
        return bits

    first = read_bits(2)
    if first == 0:
        c = [read_bits(8)]
    elif first == 1:
        c = [read_bits(16)]
    else:
        return []
    dictionary.append(c)
    w = c
    result = list(c)
    while True:
        if state["index"] > length:
            raise ValueError("compressed data ends too early")
        code = read_bits(num_bits)
        if code == 0:
            dictionary.append([read_bits(8)])
            code = dict_size
            dict_size += 1
            enlarge_in -= 1
        elif code == 1:
            dictionary.append([read_bits(16)])
            code = dict_size
            dict_size += 1
            enlarge_in -= 1
        elif code == 2:
            return result
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1
        if code < len(dictionary):
            entry = dictionary[code]
        elif code == dict_size:
            entry = [*w, w[0]]
        else:
            raise ValueError("corrupt compressed data")
        result.extend(entry)
        if max_length is not None and len(result) > max_length:
            raise ValueError(f"decompresses to more than {max_length:,} characters")
        dictionary.append([*w, entry[0]])
        dict_size += 1
        enlarge_in -= 1
        w = entry
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1
