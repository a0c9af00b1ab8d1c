"""Plain wire text → `Document`: the paragraphs an editor sees, recovered from line shape.

Wire copy is hard-wrapped with no blank line between paragraphs. A line that ends
a sentence, followed by a line that starts like a paragraph, ends a paragraph.
The classic refinement (break only if the next line's first word would have fitted
on the line) was measured and dropped: wire paragraphs are one or two sentences,
so a full sentence-ending line is far more often a paragraph end than not, and
copy pasted from a proportional-font screen has no usable width at all.

Sentences are cut from the whole run of lines between blank lines and subheads,
and a paragraph only ends where the segmenter ends a sentence, so sentences never
depend on where the lines were wrapped; only paragraph grouping can.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from versions.errors import RejectedInput
from versions.labels import WireLabel
from versions.model import Document, ItemMeta, Paragraph, ParagraphKind
from versions.segment import paragraph_sentences, split_sentences

_KILL_LINE = re.compile(
    r"^(?:KILL(?:\s*-\s*KILL)*|STORY\s+(?:WITHDRAWN|KILLED)|WITHDRAWN|ELIMINATE)\W*$"
)
_KILL_WORDS = ("KILL", "WITHDRAWN", "ELIMINATE")  # a kill line holds one of them
_WITHDRAWN_ADVISORY = re.compile(r"^\(\s*(?:story\s+)?(?:withdrawn|killed|withdraws|kills)\b", re.I)
_CORRECTS = re.compile(r"(?:^\(|[;,]\s*)(?:corrects|correcting)\b", re.I)
_BULLET_MARKER = frozenset({"*", "•"})
_BULLET_PREFIX = re.compile(r"^[*•]\s+")
_BYLINE = re.compile(r"^By\s+[^\W\d_a-z]", re.U)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_AGENCY = r"\((?:Reuters|AP|AFP|Bloomberg|dpa|UPI|IFR|Reuters Breakingviews)\)"
_DATELINE = re.compile(
    r"^(?P<dateline>"
    r"[A-Z][A-Z.'’\-]*(?:[ /][A-Z][A-Z.'’\-]*)*"  # WASHINGTON, NEW YORK/LONDON
    r"(?:,\s*[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*)?"  # , Ukraine / , Calif.
    r"(?:(?:,\s*" + _MONTH + r"\s+\d{1,2})(?:\s*" + _AGENCY + r")?|\s*" + _AGENCY + r")"
    r"\s*(?:--|[-–—]))(?:\s+|$)"
)
_TRAILER_START = re.compile(
    r"^\(?\s*(?:(?:Additional\s+)?Reporting(?:\s+and\s+writing)?|Writing|Editing|Compiled|"
    r"Edited|Reported)\s+by\b",
    re.I,
)
_CONTRIBUTED = re.compile(r"\bcontributed(?:\s+to)?(?:\s+this)?\s+report\.?$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
# A last word that ends in a full stop without ending a sentence: an initial, a title, a month.
_NOT_AN_END = re.compile(
    r"^(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|Rev|Prof|No|Jan|Feb|Aug"
    r"|Sept?|Oct|Nov|Dec)\.$"
)
_WRAPPED_HYPHEN = re.compile(r"(?<=[^\W_]-)\n(?=[^\W_])")
_PARAGRAPH_START = re.compile(r"^[\"'“‘«(\[—–-]?[^\W_a-z]", re.U)
_ASCII_LOWER = re.compile(r"[a-z]")


def parse_wire(text: str, *, encoding: str = "utf-8", source: str = "<input>") -> Document:
    """The story in `text`, normalised as `decode` returns it (see `normalise_text`);
    raises `RejectedInput` when there is no story text at all."""
    lines = _lines(text)
    story_lines = lines
    if any(word in text for word in _KILL_WORDS):
        story_lines = [line for line in lines if not _KILL_LINE.match(line)]  # spaces normalised
    header = _Header.read(story_lines)
    paragraphs = header.paragraphs + _body_paragraphs(header.body)
    advisory = " ".join(header.advisories) or None
    label = header.label
    withdrawn = (
        len(story_lines) < len(lines)
        or (label is not None and label.withdrawn)
        or any(_WITHDRAWN_ADVISORY.match(a) for a in header.advisories)
    )
    if not paragraphs and not withdrawn:
        raise RejectedInput(source, "no story text")
    meta = ItemMeta(
        label=label,
        advisory=advisory,
        withdrawn=withdrawn,
        correction=is_correction(label, advisory),
        encoding=encoding,
        format="text",
    )
    return Document(tuple(paragraphs), meta)


def _lines(text: str) -> list[str]:
    """The lines of normalised text, each with its whitespace runs as one space, trimmed.

    Most wire text is ASCII with single spaces and no space at a line's ends: then the
    lines are the text's, with no per-line work.
    """
    if (
        text.isascii()  # then only " " and "\n" are whitespace after `normalise_text`
        and "  " not in text
        and " \n" not in text
        and "\n " not in text
        and text[:1] != " "
        and text[-1:] != " "
    ):
        return text.split("\n")
    return [" ".join(line.split()) for line in text.split("\n")]


def is_kill_line(text: str) -> bool:
    """A "KILL" or "STORY WITHDRAWN" line: it withdraws the story and is not story text."""
    return bool(_KILL_LINE.match(" ".join(text.split())))


def is_trailer(text: str) -> bool:
    """A closing "(Reporting by …)" or "… contributed to this report" paragraph."""
    return bool(_TRAILER_START.match(text) or _CONTRIBUTED.search(text))


def is_correction(label: WireLabel | None, advisory: str | None) -> bool:
    """A "CORRECTED" or "CORRECTION" label, or an advisory that says "(Corrects …)"."""
    return (label is not None and label.correction) or bool(advisory and _CORRECTS.search(advisory))


def split_dateline(text: str) -> tuple[str | None, str]:
    """("WASHINGTON, Nov 21 (Reuters) -", "President …") from a first paragraph."""
    match = _DATELINE.match(text)
    if match is None:
        return None, text
    return match.group("dateline"), text[match.end() :]


@dataclass
class _Header:
    """Headline, advisory, bullets and byline: line-shaped, read one line at a time."""

    paragraphs: list[Paragraph]
    advisories: list[str]
    label: WireLabel | None
    body: list[str]

    @classmethod
    def read(cls, lines: list[str]) -> _Header:
        lines = _trim_blank(lines)
        paragraphs: list[Paragraph] = []
        advisories: list[str] = []
        label: WireLabel | None = None
        i = 0
        if lines:
            first_label, headline = WireLabel.split(lines[0])
            if _is_headline(lines, first_label):
                label = first_label
                paragraphs.append(_paragraph(ParagraphKind.HEADLINE, headline))
                i = 1
        while True:
            i = _skip_blank(lines, i)
            if i >= len(lines):
                break
            line = lines[i]
            if line.startswith("(") and not _TRAILER_START.match(line):
                end = _parenthetical_end(lines, i)
                advisories.append(_join(lines[i:end]))
                i = end
            elif line in _BULLET_MARKER or _BULLET_PREFIX.match(line):
                bullets, i = _read_bullets(lines, i)
                paragraphs += [_paragraph(ParagraphKind.BULLET, bullet) for bullet in bullets]
            elif _BYLINE.match(line):
                end = _byline_end(lines, i)
                paragraphs.append(_paragraph(ParagraphKind.BYLINE, _join(lines[i:end])))
                i = end
            else:
                break
        body = lines[i:]
        if body:
            dateline, rest = split_dateline(body[0])
            if dateline is not None:
                paragraphs.append(_paragraph(ParagraphKind.DATELINE, dateline))
                body[0] = rest
        return cls(paragraphs, advisories, label, body)


def _paragraph(kind: ParagraphKind, text: str) -> Paragraph:
    return Paragraph(kind, paragraph_sentences(text))


def _join(lines: list[str]) -> str:
    """Lines as one text; a word the wrapper broke after its hyphen is whole again."""
    text = "\n".join(lines)
    if "-\n" in text:  # the pattern has no literal to skip ahead by: a scan per character
        text = _WRAPPED_HYPHEN.sub("", text)
    return text.replace("\n", " ")


def _trim_blank(lines: list[str]) -> list[str]:
    start = _skip_blank(lines, 0)
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i]:
        i += 1
    return i


def _is_headline(lines: list[str], label: WireLabel | None) -> bool:
    """The first line is the headline when it has a `label`, or header matter, or a blank
    line follows it."""
    first = lines[0]
    if (
        first in _BULLET_MARKER
        or first.startswith("(")
        or _BULLET_PREFIX.match(first)
        or _BYLINE.match(first)
        or _DATELINE.match(first)
    ):
        return False
    if label is not None:
        return True
    following = _skip_blank(lines, 1)
    if following >= len(lines):
        return False
    after = lines[following]
    return bool(
        after.startswith("(")
        or after in _BULLET_MARKER
        or _BULLET_PREFIX.match(after)
        or _BYLINE.match(after)
        or _DATELINE.match(after)
        or (following > 1 and not _SENTENCE_END.search(first))
    )


def _parenthetical_end(lines: list[str], start: int) -> int:
    """The line after the one that closes the parenthesis opened at `start`."""
    depth = 0
    for i in range(start, len(lines)):
        if not lines[i]:
            return i
        depth += lines[i].count("(") - lines[i].count(")")
        if depth <= 0:
            return i + 1
    return len(lines)


def _read_bullets(lines: list[str], i: int) -> tuple[list[str], int]:
    """Summary bullets, between lines holding only `*` or after a `* ` prefix.

    Their wrapping is often broken: a piece that starts lowercase continues the
    bullet before it ("inauguration" after a stray `*`).
    """
    pieces: list[list[str]] = []
    current: list[str] | None = None
    while i < len(lines):
        line = lines[i]
        if not line:
            following = _skip_blank(lines, i)
            nxt = lines[following] if following < len(lines) else ""
            if not (nxt in _BULLET_MARKER or _BULLET_PREFIX.match(nxt)):
                break
            i = following
            current = None
            continue
        if line in _BULLET_MARKER:
            current = None
        elif prefix := _BULLET_PREFIX.match(line):
            current = [line[prefix.end() :]]
            pieces.append(current)
        elif line.startswith("(") or _BYLINE.match(line) or _DATELINE.match(line):
            break
        elif current is None:
            current = [line]
            pieces.append(current)
        else:
            current.append(line)
        i += 1
    bullets: list[str] = []
    for piece in pieces:
        text = _join(piece)
        if bullets and text[:1].islower():
            bullets[-1] += " " + text
        else:
            bullets.append(text)
    return bullets, i


def _byline_end(lines: list[str], start: int) -> int:
    """A byline wrapped over a line or two before the dateline ("… and Matt / Spetalnick")."""
    for end in range(start + 1, min(start + 3, len(lines))):
        if not lines[end]:
            break
        if _DATELINE.match(lines[end]):
            return end
    return start + 1


def _body_paragraphs(body: list[str]) -> list[Paragraph]:
    """Text paragraphs, subheads and the trailer, from the lines after the dateline."""
    trailer_start = _trailer_start(body)
    blank_separated = _blank_separated(body[:trailer_start])
    paragraphs: list[Paragraph] = []
    for subhead, lines in _runs(body[:trailer_start]):
        if not lines:
            paragraphs.append(_paragraph(ParagraphKind.SUBHEAD, subhead))
        elif blank_separated:  # each run is a paragraph: segmented once, no line positions
            paragraphs.append(_paragraph(ParagraphKind.TEXT, _join(lines)))
        else:
            paragraphs += _run_paragraphs(_Run.segment(lines))
    last = paragraphs[-1] if paragraphs else None
    if last and last.kind is ParagraphKind.TEXT and _CONTRIBUTED.search(last.text):
        paragraphs[-1] = Paragraph(ParagraphKind.TRAILER, last.sentences)
    paragraphs += _trailer_paragraphs(body[trailer_start:])
    return paragraphs


def _trailer_start(body: list[str]) -> int:
    """Where "(Reporting by …; Editing by …)" begins: a line of its own near the end."""
    for i in range(max(0, len(body) - 8), len(body)):
        if _TRAILER_START.match(body[i]) and (i == 0 or _ends_paragraph_text(body[i - 1])):
            return i
    return len(body)


def _ends_paragraph_text(line: str) -> bool:
    return not line or bool(_SENTENCE_END.search(line)) or line.endswith(")")


def _trailer_paragraphs(lines: list[str]) -> list[Paragraph]:
    """One trailer paragraph per parenthesised group, unbracketed block or line after a group."""
    groups: list[list[str]] = [[]]
    depth = 0
    for line in lines:
        if (
            depth <= 0
            and groups[-1]
            and (not line or line.startswith("(") or groups[-1][-1].endswith(")"))
        ):
            groups.append([])
        if line:
            groups[-1].append(line)
            depth += line.count("(") - line.count(")")
    return [_paragraph(ParagraphKind.TRAILER, _join(group)) for group in groups if group]


def _runs(body: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Runs of text lines between blank lines and subheads, as ("", lines) or (subhead, [])."""
    run: list[str] = []
    for i, line in enumerate(body):
        if not line:
            if run:
                yield "", run
            run = []
        elif not _ASCII_LOWER.search(line) and _is_subhead(body, i):  # most have lower case
            if run:
                yield "", run
            run = []
            yield line, []
        else:
            run.append(line)
    if run:
        yield "", run


def _is_subhead(body: list[str], i: int) -> bool:
    """An ALL-CAPS line of its own between a sentence end and a capitalised line."""
    text = body[i]
    if len(text) > 70 or text.startswith("(") or text[-1] in ".,;:":
        return False
    if _ASCII_LOWER.search(text):  # most lines: no per-character look needed
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or any(c.islower() for c in letters):
        return False
    before = body[i - 1] if i > 0 else ""
    after = body[i + 1] if i + 1 < len(body) else ""
    return (not before or bool(_SENTENCE_END.search(before))) and bool(
        not after or _PARAGRAPH_START.match(after)
    )


def _blank_separated(body: list[str]) -> bool:
    """Whether blank lines follow text lines inside the body twice or more."""
    gaps = 0
    for i in range(1, len(body) - 1):
        if not body[i] and body[i - 1]:
            gaps += 1
            if gaps == 2:
                return True
    return False


@dataclass(frozen=True)
class _Run:
    """Lines between hard boundaries, and the sentences of their joined text.

    Positions are counts of non-space characters, so a sentence end and a line
    end can be compared whatever the wrapping; `aligned` is false when the
    segmenter changed the characters and positions cannot be compared.
    """

    lines: list[str]
    text: str
    sentences: list[str]
    sentence_ends: list[int]
    line_ends: list[int]
    aligned: bool

    @classmethod
    def segment(cls, lines: list[str]) -> _Run:
        text = _join(lines)
        sentences = split_sentences(text)
        ends = _cumulative_lengths(sentences)
        line_ends = _cumulative_lengths(lines)
        aligned = ends[-1:] == line_ends[-1:]
        return cls(lines, text, sentences, ends, line_ends, aligned)

    def sentence_end_at_line_end(self, i: int) -> bool:
        if not self.aligned:
            return True
        at = bisect_left(self.sentence_ends, self.line_ends[i])
        return at < len(self.sentence_ends) and self.sentence_ends[at] == self.line_ends[i]


def _run_paragraphs(run: _Run) -> list[Paragraph]:
    """The run cut after every line that ends a sentence before a line that starts a paragraph."""
    lines = run.lines
    breaks = [
        i + 1
        for i in range(len(lines) - 1)
        if run.sentence_end_at_line_end(i) and _may_end_paragraph(lines[i], lines[i + 1])
    ]
    bounds = [0, *breaks, len(lines)]
    spans = list(pairwise(bounds))
    if not run.aligned:
        return [_paragraph(ParagraphKind.TEXT, _join(lines[s:e])) for s, e in spans]
    paragraphs: list[Paragraph] = []
    taken = 0
    for _, end in spans:
        first = taken
        while taken < len(run.sentences) and run.sentence_ends[taken] <= run.line_ends[end - 1]:
            taken += 1
        paragraphs.append(Paragraph(ParagraphKind.TEXT, tuple(run.sentences[first:taken])))
    return paragraphs


def _may_end_paragraph(line: str, following: str) -> bool:
    """The line ends a sentence and the next one starts like a paragraph."""
    words = line.split()
    return bool(
        words
        and _SENTENCE_END.search(words[-1])
        and not _NOT_AN_END.match(words[-1].rstrip("\"'”’»)]"))
        and _PARAGRAPH_START.match(following)
    )


def _cumulative_lengths(texts: list[str]) -> list[int]:
    """Characters other than whitespace up to the end of each text: wrap-proof positions."""
    total = 0
    result = []
    for text in texts:
        total += sum(map(len, text.split()))  # str.split() cuts where str.isspace() holds
        result.append(total)
    return result
