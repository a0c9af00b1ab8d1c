"""Raw bytes → text: the encoding is guessed from the bytes, never trusted from a label.

Wire text arrives as UTF-8, as Windows-1252 (curly quotes at 0x93/0x94, dashes at
0x96/0x97), as Latin-1, now and then as something else; a file that is not text
at all is rejected with a one-line reason instead of being stored as gibberish.
"""

from __future__ import annotations

import codecs
import re

from versions.errors import RejectedInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BINARY_SHARE = 0.05  # more control characters than this and the file is not text
_WHITESPACE = str.maketrans(
    {
        "\t": " ",
        "\x0b": "\n",
        "\x0c": "\n",
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u202f": " ",  # narrow no-break space
        "\u2028": "\n",
        "\u2029": "\n",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space, non-joiner, joiner, word joiner, BOM
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)


def decode(data: bytes, source: str = "<input>") -> tuple[str, str]:
    """The text of `data` (normalised, see `normalise_text`) and the encoding it was read as."""
    if not data.strip():
        raise RejectedInput(source, "empty file")
    text, encoding = _decode(data, source)
    controls = len(_CONTROL.findall(text))
    if controls > _BINARY_SHARE * len(text):
        raise RejectedInput(source, "binary data, not text")
    text = _normalise_whitespace(text)
    if controls:  # the whitespace table maps no character to a control character
        text = _CONTROL.sub("", text)
    if not text.strip():
        raise RejectedInput(source, "empty file")
    return text, encoding


def normalise_text(text: str) -> str:
    """Line breaks as LF; tabs and no-break spaces as spaces; invisible characters gone."""
    return _CONTROL.sub("", _normalise_whitespace(text))


def _normalise_whitespace(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_WHITESPACE)


def _decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    if b"\x00" in data:
        raise RejectedInput(source, "binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_western(data):
        if _C1_BYTES.search(data):
            return data.decode("cp1252", errors="replace"), "cp1252"
        return data.decode("latin-1"), "latin-1"
    from charset_normalizer import from_bytes  # only for text that is not UTF-8

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("cp1252", errors="replace"), "cp1252"


def _looks_western(data: bytes) -> bool:
    """Accented letters and typographic punctuation come one or two bytes at a time.

    Cyrillic, Greek or CJK text in a legacy code page writes whole words in high
    bytes; those are left to charset-normalizer.
    """
    runs = _HIGH_RUN.findall(data)
    return sum(len(run) for run in runs) <= 2 * len(runs)
