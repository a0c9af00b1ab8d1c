"""Wire labels ("UPDATE 2", "REFILE-UPDATE 3", "CORRECTED", "WITHDRAWN"…): one vocabulary,
read once by the readers into a `WireLabel` that the document's metadata carries.

The store keeps a label as its text and reads it back into the same value; everything
downstream asks the value (is it a correction? a withdrawal? which update?) and never
looks for words in the text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The words a take is labelled with, before its headline and a dash: "UPDATE 2-Biden …".
LABEL_WORDS = (
    "UPDATE",
    "WRAPUP",
    "REFILE",
    "CORRECTED",
    "CORRECTION",
    "EXCLUSIVE",
    "WITHDRAWN",
    "RPT",
    "REPEAT",
    "URGENT",
)
# Words that name a kind of story rather than a take ("FACTBOX-…"): they stay in the
# headline, but two headlines that differ only by them are the same story's.
STORY_KIND_WORDS = ("INSTANT VIEW", "FACTBOX", "ANALYSIS")

# The labels and story kinds that may open a headline, numbered or not, each ended by "-"
# or ":" (to match in any case): story threading compares headlines without them.
HEADLINE_PREFIX = (
    rf"^(?:(?:{'|'.join(w.lower() for w in (*LABEL_WORDS, *STORY_KIND_WORDS))})\s*\d*\s*[-:]\s*)+"
)
_WORD = rf"(?:{'|'.join(LABEL_WORDS)})(?:\s+\d+)?"
_PREFIX = re.compile(rf"^((?:{_WORD}\s*-\s*)+)(?=\S)")
_PART = re.compile(rf"(?P<word>{'|'.join(LABEL_WORDS)})(?:\s+(?P<number>\d+))?")


@dataclass(frozen=True, slots=True)
class WireLabel:
    """A take's label, as filed and as meant."""

    text: str  # as filed, spacing normalised, parts joined by "-": "REFILE-UPDATE 3"
    update: int | None = None  # "UPDATE 3" → 3; a bare "UPDATE" → None
    refile: bool = False  # REFILE, RPT, REPEAT: the take sent again, mended or not
    correction: bool = False  # CORRECTED, CORRECTION
    withdrawn: bool = False  # WITHDRAWN
    urgent: bool = False  # URGENT
    exclusive: bool = False  # EXCLUSIVE
    wrapup: bool = False  # WRAPUP: several stories drawn together

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    @classmethod
    def parse(cls, text: str) -> WireLabel:
        """The label `text` (as filed or as stored) and what its words say; words outside
        the vocabulary say nothing but stay in the text."""
        words = {match["word"]: match["number"] for match in _PART.finditer(text.upper())}
        update = words.get("UPDATE")
        return cls(
            text=" ".join(text.split()),
            update=int(update) if update else None,
            refile=bool(words.keys() & {"REFILE", "RPT", "REPEAT"}),
            correction=bool(words.keys() & {"CORRECTED", "CORRECTION"}),
            withdrawn="WITHDRAWN" in words,
            urgent="URGENT" in words,
            exclusive="EXCLUSIVE" in words,
            wrapup="WRAPUP" in words,
        )

    @classmethod
    def split(cls, headline: str) -> tuple[WireLabel | None, str]:
        """(UPDATE 2, "Biden …") from "UPDATE 2-Biden …"; chained prefixes ("REFILE-UPDATE 3-")
        make one label, their parts joined by "-"."""
        match = _PREFIX.match(headline)
        if match is None:
            return None, headline.strip()
        text = "-".join(" ".join(part.group().split()) for part in _PART.finditer(match.group(1)))
        return cls.parse(text), headline[match.end() :].strip()


def label_text(label: WireLabel | None) -> str | None:
    """The label as stored and as JSON carries it."""
    return None if label is None else label.text
