"""Hand-made change logs for the export tests and their golden files.

Built by hand rather than by `versions.compare`, so that a format test fails only when the
format changes.  Changes are written in git's word-diff markup: "a [-source-]{+official+}".
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from versions.labels import WireLabel, label_text
from versions.model import (
    Change,
    ChangeKind,
    ChangeLog,
    Document,
    Paragraph,
    ParagraphKind,
    Section,
    Tag,
    VersionRef,
)

if TYPE_CHECKING:
    from versions.blame import Provenance

_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}")

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=\"document.title='hacked'\">"


def marked(markup: str) -> tuple[tuple[tuple[int, str], ...], str, str]:
    """(inline, old, new) from "[-deleted-]{+inserted+}" markup."""
    pieces: list[tuple[int, str]] = []
    position = 0
    for match in _MARK.finditer(markup):
        if match.start() > position:
            pieces.append((0, markup[position : match.start()]))
        deleted, inserted = match.groups()
        pieces.append((-1, deleted) if deleted is not None else (1, inserted))
        position = match.end()
    if position < len(markup):
        pieces.append((0, markup[position:]))
    old = "".join(text for op, text in pieces if op <= 0)
    new = "".join(text for op, text in pieces if op >= 0)
    return tuple(pieces), old, new


def edited(
    section: Section,
    markup: str,
    *,
    kind: ChangeKind = ChangeKind.CHANGED,
    tags: tuple[Tag, ...] = (),
    old_at: tuple[int, int],
    new_at: tuple[int, int],
    split_new: int | None = None,
    split_old: int | None = None,
) -> Change:
    """A changed (or split/merged/moved) change; `*_at` is (paragraph, sentence index).

    `split_new`/`split_old`: where, in the new/old text, the second sentence starts.
    """
    inline, old, new = marked(markup)
    olds = (old[: split_old - 1], old[split_old:]) if split_old else (old,)
    news = (new[: split_new - 1], new[split_new:]) if split_new else (new,)
    return Change(
        section,
        kind,
        old=olds,
        new=news,
        old_index=tuple(range(old_at[1], old_at[1] + len(olds))),
        new_index=tuple(range(new_at[1], new_at[1] + len(news))),
        tags=tags,
        inline=inline,
        old_paragraphs=(old_at[0],),
        new_paragraphs=(new_at[0],) if not split_new else (new_at[0], new_at[0] + 1),
    )


def added(text: str, *, at: tuple[int, int], section: Section = Section.BODY) -> Change:
    return Change(
        section, ChangeKind.ADDED, new=(text,), new_index=(at[1],), new_paragraphs=(at[0],)
    )


def removed(text: str, *, at: tuple[int, int]) -> Change:
    return Change(
        Section.BODY, ChangeKind.REMOVED, old=(text,), old_index=(at[1],), old_paragraphs=(at[0],)
    )


DNIPRO = (
    "A U.S. official said on Thursday that Russia may have fired an intermediate-range "
    "ballistic missile during an attack on the Ukrainian city of Dnipro, in a likely warning "
    "to NATO."
)


def dnipro_example() -> ChangeLog:
    """The issue's example, numbered as an editor counts (no documents needed)."""
    return ChangeLog(
        (
            edited(
                Section.BODY,
                "But Moscow's decision represented a major escalation, "
                "[-a U.S. official said-]{+a senior U.S. official told Reuters+}.",
                tags=(Tag.ATTRIBUTION,),
                old_at=(3, 2),
                new_at=(3, 2),
            ),
            added(DNIPRO, at=(10, 11)),
            edited(
                Section.BODY,
                "Blinken said as many as [-8,000-]{+10,000+} North Korean forces were in Kursk.",
                tags=(Tag.NUMBER,),
                old_at=(23, 24),
                new_at=(24, 25),
            ),
        ),
        story_key="biden-ukraine-missiles",
        story_title="Biden lets Ukraine strike deep into Russia with U.S. missiles",
        old=VersionRef(2, WireLabel.parse("UPDATE 1")),
        new=VersionRef(3, WireLabel.parse("UPDATE 2")),
    )


HEADLINE = "Biden lets Ukraine strike deep into Russia with U.S. missiles"
LEDE = (
    "President Joe Biden dropped his opposition to Ukraine firing U.S. missiles at targets "
    "deep inside Russia, sources familiar with the matter said."
)
MOSCOW = "Moscow has vowed to respond to what it sees as an escalation by the West."
WHITE_HOUSE = "The White House did not immediately respond to a request for comment."
ESCALATION_OLD = (
    "But Moscow's decision to deploy North Korean soldiers represented a major escalation "
    "that demanded a response, a U.S. official said."
)
ATTRIBUTION = (
    "But Moscow's decision to deploy North Korean soldiers represented a major escalation "
    "that demanded a response, [-a U.S. official said-]{+a senior U.S. official and two other "
    "sources familiar with the matter told Reuters+}."
)
ATACMS = (
    "Ukraine conducted its first long-range strike under the new policy on Tuesday, "
    "announcing it had fired U.S. ATACMS missiles on an arms depot about 110 km "
    "([-70-]{+68+} miles) inside Russia."
)


def _document(paragraphs: list[tuple[ParagraphKind, tuple[str, ...]]]) -> Document:
    return Document(tuple(Paragraph(kind, sentences) for kind, sentences in paragraphs))


def dnipro_documents() -> tuple[Document, Document]:
    """Two versions shaped as the parser gives them: the dateline is a paragraph of its own."""
    _, _, atacms_old = marked(ATACMS)
    _, atacms_new, _ = marked(ATACMS)
    atacms_old, atacms_new = atacms_new, atacms_old
    _, _, escalation_new = marked(ATTRIBUTION)
    trailer = ("(Reporting by Mike Stone; Editing by Don Durfee)",)
    old = _document(
        [
            (ParagraphKind.HEADLINE, (HEADLINE,)),
            (ParagraphKind.BYLINE, ("By Mike Stone",)),
            (ParagraphKind.DATELINE, ("WASHINGTON, Nov 21 (Reuters) -",)),
            (ParagraphKind.TEXT, (LEDE,)),
            (ParagraphKind.TEXT, (ESCALATION_OLD,)),
            (ParagraphKind.TEXT, (MOSCOW,)),
            (ParagraphKind.SUBHEAD, ("STRENGTHENING KYIV'S HAND",)),
            (ParagraphKind.TEXT, (atacms_old,)),
            (ParagraphKind.TEXT, (WHITE_HOUSE,)),
            (ParagraphKind.TRAILER, trailer),
        ]
    )
    new = _document(
        [
            (ParagraphKind.HEADLINE, (HEADLINE,)),
            (ParagraphKind.BYLINE, ("By Mike Stone and Humeyra Pamuk",)),
            (ParagraphKind.DATELINE, ("WASHINGTON, Nov 21 (Reuters) -",)),
            (ParagraphKind.TEXT, (LEDE,)),
            (ParagraphKind.TEXT, (escalation_new,)),
            (ParagraphKind.TEXT, (MOSCOW, DNIPRO)),
            (ParagraphKind.SUBHEAD, ("STRENGTHENING KYIV'S HAND",)),
            (ParagraphKind.TEXT, (atacms_new,)),
            (ParagraphKind.TRAILER, trailer),
        ]
    )
    return old, new


def dnipro_pair() -> ChangeLog:
    """The change log between `dnipro_documents()`, in whole-document paragraph numbers."""
    return ChangeLog(
        (
            edited(
                Section.BYLINE,
                "By Mike Stone{+ and Humeyra Pamuk+}",
                old_at=(2, 1),
                new_at=(2, 1),
            ),
            edited(
                Section.BODY, ATTRIBUTION, tags=(Tag.ATTRIBUTION,), old_at=(5, 4), new_at=(5, 4)
            ),
            added(DNIPRO, at=(6, 6)),
            edited(Section.BODY, ATACMS, tags=(Tag.NUMBER,), old_at=(8, 7), new_at=(8, 8)),
            removed(WHITE_HOUSE, at=(9, 8)),
        ),
        story_key="biden-ukraine-missiles",
        story_title=HEADLINE,
        old=VersionRef(2, WireLabel.parse("UPDATE 1")),
        new=VersionRef(3, WireLabel.parse("UPDATE 2")),
    )


def hostile() -> ChangeLog:
    """Every kind of change, with story text that is markup in every output format."""
    return ChangeLog(
        (
            edited(
                Section.HEADLINE,
                "Quake kills at least [-12-]{+27+} in *southern* Peru",
                tags=(Tag.NUMBER,),
                old_at=(1, 0),
                new_at=(1, 0),
            ),
            edited(
                Section.BODY,
                f"The mayor posted [-{SCRIPT}-]{{+{IMG}+}} on his_page [link](http://x) & more.",
                tags=(Tag.QUOTE,),
                old_at=(4, 3),
                new_at=(4, 3),
            ),
            added(
                f'=HYPERLINK("http://evil") {SCRIPT} \x1b[31mred\x1b[m # not a heading', at=(5, 4)
            ),
            removed(f"{IMG} | a | table |", at=(6, 5)),
            edited(
                Section.BODY,
                "Rescue workers searched the rubble in [-Chivay-]{+Yanque+}.",
                kind=ChangeKind.MOVED,
                old_at=(9, 8),
                new_at=(6, 5),
            ),
            edited(
                Section.BODY,
                "Power was down[- and-]{+. Telephone+} lines were cut across the province.",
                kind=ChangeKind.SPLIT,
                old_at=(7, 6),
                new_at=(7, 6),
                split_new=len("Power was down. "),
            ),
            edited(
                Section.BODY,
                "The navy said there was no tsunami risk[-. It-]{+ and+} lifted the alert.",
                kind=ChangeKind.MERGED,
                tags=(Tag.ATTRIBUTION,),
                old_at=(10, 9),
                new_at=(9, 8),
                split_old=len("The navy said there was no tsunami risk. "),
            ),
            edited(
                Section.BODY,
                "Peru sits on the Pacific [-'-]{+‘+}Ring of Fire[-'-]{+’+}.",
                tags=(Tag.COSMETIC,),
                old_at=(11, 11),
                new_at=(10, 9),
            ),
        ),
        story_key="peru-quake",
        story_title=f"Quake in Peru {SCRIPT}",
        old=VersionRef(1, None),
        new=VersionRef(2, WireLabel.parse("UPDATE 1")),
    )


def cosmetic_only() -> ChangeLog:
    return ChangeLog(
        (
            edited(
                Section.BODY,
                "Defense Minister Rustem [-Umerev-]{+Umerov+} attended.",
                tags=(Tag.COSMETIC,),
                old_at=(5, 5),
                new_at=(5, 5),
            ),
        ),
        story_key="biden-ukraine-missiles",
        story_title=HEADLINE,
        old=VersionRef(4, WireLabel.parse("UPDATE 3")),
        new=VersionRef(5, WireLabel.parse("REFILE-UPDATE 3")),
    )


def unchanged() -> ChangeLog:
    return ChangeLog(
        (),
        story_key="biden-ukraine-missiles",
        story_title=HEADLINE,
        old=VersionRef(4, WireLabel.parse("UPDATE 3")),
        new=VersionRef(5, WireLabel.parse("REFILE-UPDATE 3")),
    )


SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SAMPLE_STORIES = ("biden-ukraine-missiles", "peru-earthquake", "skarvik-castell-deal")


def sample_history(story: str) -> tuple[list[ChangeLog], list[tuple[Document, Document]]]:
    """Every consecutive pair of a sample story, compared by the engine, with its documents."""
    import versions

    documents = [
        versions.parse(path.read_bytes()) for path in sorted((SAMPLES / story).glob("*.txt"))
    ]
    title = documents[-1].headline
    changelogs = []
    for number, (old, new) in enumerate(itertools.pairwise(documents), start=1):
        changelogs.append(
            versions.compare(
                old,
                new,
                story_key=story,
                story_title=title,
                old_ref=VersionRef.of(number, old.meta),
                new_ref=VersionRef.of(number + 1, new.meta),
            )
        )
    return changelogs, list(itertools.pairwise(documents))


def sample_provenance(story: str) -> Provenance:
    """The lineage of every take of a sample story, traced by the engine; takes an hour apart."""
    import versions
    from versions.blame import Provenance, Take
    from versions.lineage import reverts, trace

    documents = [
        versions.parse(path.read_bytes()) for path in sorted((SAMPLES / story).glob("*.txt"))
    ]
    start = datetime(2024, 11, 21, 14, 0, tzinfo=UTC)
    numbered = dict(enumerate(documents, start=1))
    return Provenance(
        story,
        documents[-1].headline,
        {
            n: Take(n, label_text(document.meta.label), start + timedelta(hours=n - 1))
            for n, document in numbered.items()
        },
        numbered,
        {take.number: take for take in trace(documents)},
        reverts([document.text for document in documents]),
    )


PROVENANCE_STORY = "biden-ukraine-missiles"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "export"
EXTENSIONS = {"markdown": "md", "html": "html", "json": "json", "csv": "csv", "text": "txt"}


def golden_outputs() -> dict[str, str]:
    """Golden file name → expected text, for the hand-made cases and the sample stories."""
    from versions.export import FORMATS, PROVENANCE_FORMATS, render

    cases: dict[str, tuple[list[ChangeLog], list[tuple[Document, Document]] | None]] = {
        "dnipro": ([dnipro_pair()], [dnipro_documents()]),
        "hostile": ([hostile(), cosmetic_only(), unchanged()], None),
    }
    for story in SAMPLE_STORIES:
        cases[f"samples/{story}"] = sample_history(story)
    outputs = {}
    for case, (changelogs, documents) in cases.items():
        for fmt in FORMATS:
            text = render(changelogs, fmt, documents=documents)
            outputs[f"{case}.{EXTENSIONS[fmt]}"] = text
        if not case.startswith("samples/"):
            outputs[f"{case}.ansi.txt"] = render(
                changelogs, "text", color=True, documents=documents
            )
    changelogs, documents = sample_history(PROVENANCE_STORY)
    provenance = sample_provenance(PROVENANCE_STORY)
    for fmt in PROVENANCE_FORMATS:
        name = f"samples/{PROVENANCE_STORY}.provenance.{EXTENSIONS[fmt]}"
        outputs[name] = render(changelogs, fmt, documents=documents, provenance=provenance)
    return outputs
