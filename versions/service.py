"""What the CLI and the TUI call: an `Archive` of wire stories and their versions.

Everything here speaks in model values and the small row dataclasses below;
SQL stays in `versions.store`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from versions.comparison import Comparison
from versions.config import DEFAULT_MAX_TAKE_SIZE
from versions.editorial import DEFAULT_WATCH_TERMS
from versions.errors import (
    AmbiguousStory,
    UnknownStory,
    UnknownVersion,
    WirediffError,
)
from versions.model import (
    ChangeLog,
    Document,
    VersionRef,
)
from versions.normalise import normalise
from versions.records import ChangeCounts, SearchHit, StoryRow, StoryState, VersionRow
from versions.store import db
from versions.store.reader import Reader
from versions.store.store import Store

# Imported where used: listing stories and versions needs neither blame, lineage,
# significance nor the exporters (issue 11: the read commands start in under 300 ms).
if TYPE_CHECKING:
    from versions.blame import Blame, Provenance, SentenceHistory, Take
    from versions.export import Format
    from versions.ingest import Ingester, IngestResult
    from versions.lineage import Cell
    from versions.readers import InputFormat
    from versions.significance import Significance


@dataclass(frozen=True)
class GridRow:
    """One take of a story's grid: its paragraphs' fates, in reading order, and its length."""

    take: Take
    cells: tuple[Cell, ...]
    paragraphs: tuple[str, ...]  # the take's paragraphs, as `Cell.paragraph` numbers them
    words: int

    def text_of(self, cell: Cell, before: GridRow | None) -> str:
        """The paragraph a cell stands for; a removed one as the take before had it."""
        if cell.paragraph is not None:
            return self.paragraphs[cell.paragraph - 1]
        if before is not None and cell.old_paragraph is not None:
            return before.paragraphs[cell.old_paragraph - 1]
        return ""


@dataclass(frozen=True)
class Export:
    """A rendered change log and what it covers, to write or to print."""

    story_key: str
    format: Format
    text: str
    span: tuple[int, int]  # the first old and the last new version compared
    pairs: int

    @property
    def filename(self) -> str:
        from versions.export import safe_filename

        return safe_filename(self.story_key, self.format, self.span)


@dataclass(frozen=True)
class Follow:
    """What `Archive.follow` / `unfollow` did: the story's full key, and whether the
    editor's follows changed (False: already followed, or not followed)."""

    story_key: str
    changed: bool


@dataclass(frozen=True)
class CatchUp:
    """A followed story with news: what changed from the version the editor last saw to
    the latest (`seen` == `latest` - `unread`)."""

    story: StoryRow
    seen: int
    latest: int
    comparison: Comparison

    @property
    def unread(self) -> int:
        return self.latest - self.seen

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": self.story.key,
            "title": self.story.title,
            "seen": self.seen,
            "latest": self.latest,
            "unread": self.unread,
            "changes": self.comparison.changelog.to_dict(),
        }


@dataclass(frozen=True)
class Assessment:
    """What an arrival means to the desk: its significance and the advisory line wirediff
    writes for it ("" for a first take or a take that changed nothing)."""

    significance: Significance
    advisory: str


SNIPPET_CONTEXT = 60
_PHRASE = re.compile(r'"([^"]*)"?')
_WORD = re.compile(r"\w+")


def database_url(url: str | None = None) -> str:
    """The URL `Archive.open(url)` would open, password hidden."""
    return db.safe_url(db.resolve_url(url))


def upgrade_database(url: str | None = None) -> None:
    """Migrate the database to this wirediff's schema (creating it when empty)."""
    db.upgrade(db.resolve_url(url))


def _now() -> datetime:
    return datetime.now(UTC)


class Archive:
    """The stored stories; open with `Archive.open`, use as a context manager."""

    def __init__(
        self,
        store: Store,
        url: str,
        *,
        max_take_size: int = DEFAULT_MAX_TAKE_SIZE,
        watch_terms: Sequence[str] = DEFAULT_WATCH_TERMS,
    ) -> None:
        self.url = url
        self.max_take_size = max_take_size
        self.watch_terms = tuple(watch_terms)
        self._store = store
        self._ingester: Ingester | None = None

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        create: bool = True,
        max_take_size: int = DEFAULT_MAX_TAKE_SIZE,
        watch_terms: Sequence[str] = DEFAULT_WATCH_TERMS,
    ) -> Archive:
        """Open `url` (else `WIREDIFF_DB`, else the user's SQLite file).

        A new empty database is brought to the current schema; an older one raises
        `NeedsUpgrade` until `wirediff db upgrade` is run on it. A delivery larger than
        `max_take_size` bytes is rejected unread: no wire take comes near 10 MB, and the
        engine's memory grows with the text. `watch_terms` count in the significance of
        each new version (`IngestResult.significance`).
        """
        resolved = db.resolve_url(url)
        store = Store.open(resolved, create=create)
        return cls(store, resolved, max_take_size=max_take_size, watch_terms=watch_terms)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ingest: versions.ingest, loaded on the first one (reading never needs it)

    def ingest(
        self,
        data: bytes,
        *,
        source: str,
        story: str | None = None,
        received_at: datetime | None = None,
    ) -> list[IngestResult]:
        """Store every item in `data`, each in its own transaction.

        A rejected input stores nothing; an item already stored for its story is
        reported "unchanged". An item that cannot be read or stored is rejected with the
        reason and the others go on; only a failure of the archive itself (disk,
        connection, lock) raises, for the caller to retry.
        """
        return self._ingest().ingest(data, source=source, story=story, received_at=received_at)

    def ingest_paths(
        self,
        paths: Iterable[str | Path],
        *,
        story: str | None = None,
        input_format: InputFormat = "auto",
    ) -> Iterator[IngestResult]:
        """Each file's results, in input order; a long list is parsed by worker processes.

        `input_format` forces a reader instead of letting the content decide.
        """
        return self._ingest().ingest_paths(paths, story=story, input_format=input_format)

    def _ingest(self) -> Ingester:
        if self._ingester is None:
            from versions.ingest import Ingester

            self._ingester = Ingester(self._store, self)
        return self._ingester

    # reading

    def stories(
        self,
        *,
        order: Literal["updated", "title"] = "updated",
        match: str | None = None,
        limit: int = 200,
        offset: int = 0,
        followed_by: str | None = None,
    ) -> list[StoryRow]:
        """A page of stories; `followed_by` names an editor: only the stories they follow."""
        with self._store.reading() as reader:
            return reader.stories(
                order=order, match=match, limit=limit, offset=offset, followed_by=followed_by
            )

    def story_count(self, match: str | None = None) -> int:
        with self._store.reading() as reader:
            return reader.story_count(match)

    def story(self, key_or_prefix: str) -> StoryRow:
        with self._store.reading() as reader:
            return reader.story_row(_find_story(reader, key_or_prefix))

    def versions(self, story_key: str) -> list[VersionRow]:
        with self._store.reading() as reader:
            return reader.versions(_find_story(reader, story_key))

    def document(self, story_key: str, number: int) -> Document:
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            (document,) = reader.documents([_find_version(reader, story, number).id])
            return document

    def raw(self, story_key: str, number: int) -> bytes:
        """The bytes of the delivery the version came in, exactly as received.

        A feed or a NewsML-G2 newsMessage holds several items: `VersionRow.item_index` says
        which one, in `versions.readers.read` order.
        """
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            return reader.raw(_find_version(reader, story, number).id)

    def compare(self, story_key: str, old: int | None = None, new: int | None = None) -> ChangeLog:
        """`old` → `new`; by default the latest version against the one before it."""
        return self.comparison(story_key, old, new).changelog

    def comparison(
        self, story_key: str, old: int | None = None, new: int | None = None
    ) -> Comparison:
        """`compare`, with the two documents it compared (renderers number paragraphs)."""
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            if new is None:
                new = story.version_count
            if old is None:
                old = max(new - 1, 1)
            return _pair(reader, story, old, new)

    def history(
        self, story_key: str, first: int | None = None, last: int | None = None
    ) -> list[ChangeLog]:
        """Each consecutive pair from version `first` (default 1) to `last` (default the latest)."""
        return [pair.changelog for pair in self._history(story_key, first, last)]

    def _history(self, story_key: str, first: int | None, last: int | None) -> list[Comparison]:
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            first = 1 if first is None else first
            last = story.version_count if last is None else last
            if first > last:
                raise UnknownVersion(f"versions {first}..{last} of {story.key}: {first} > {last}")
            versions = reader.versions_between(story, first, last)
            stored = {version.number for version in versions}
            for number in range(first, last + 1):
                if number not in stored:
                    raise _no_version(story, number)
            documents = reader.documents([version.id for version in versions])
        return [
            _comparison(story, old, new, old_document, new_document)
            for (old, old_document), (new, new_document) in itertools.pairwise(
                zip(versions, documents, strict=True)
            )
        ]

    def advisories(self, story_key: str) -> dict[int, str]:
        """The advisory line generated for each version after the first, by version number.

        "" for a version that changed nothing. Costs a comparison per version.
        """
        from versions.advisory import advisory

        return {
            pair.changelog.new.version or 0: advisory(pair)
            for pair in self._history(story_key, None, None)
        }

    def advisory(self, story_key: str, number: int) -> str:
        """The advisory line generated for version `number` (> 1) against the one before it."""
        from versions.advisory import advisory

        (pair,) = self._history(story_key, number - 1, number)
        return advisory(pair)

    def export(
        self,
        story_key: str,
        fmt: Format,
        *,
        pair: tuple[int, int] | None = None,
        first: int | None = None,
        last: int | None = None,
    ) -> Export:
        """The change log to hand on: version A against B (`pair`), else each consecutive
        pair from `first` to `last` (default: the whole history).

        Paragraphs are numbered as editors count them (the documents go to the renderer).
        """
        from versions.export import PROVENANCE_FORMATS, render_comparisons

        if pair is not None:
            with self._store.reading() as reader:
                pairs = [_pair(reader, _find_story(reader, story_key), *pair)]
        else:
            pairs = self._history(story_key, first, last)
            if not pairs:
                key = self.story(story_key).key
                raise WirediffError(f"{key}: one version only in that range, nothing to compare")
        provenance = None
        if fmt in PROVENANCE_FORMATS:
            covered: dict[int, Document] = {}
            for compared in pairs:
                for ref, document in (
                    (compared.changelog.old, compared.old),
                    (compared.changelog.new, compared.new),
                ):
                    if document is not None:
                        covered[ref.version or 0] = document
            provenance = self._provenance(story_key, covered)
        text = render_comparisons(pairs, fmt, provenance=provenance)
        first_log, last_log = pairs[0].changelog, pairs[-1].changelog
        span = (first_log.old.version or 0, last_log.new.version or 0)
        return Export(first_log.story_key or story_key, fmt, text, span, len(pairs))

    def documents(self, story_key: str, numbers: Iterable[int]) -> dict[int, Document]:
        """Several versions' documents by number, read in one go (exports number paragraphs)."""
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            versions = [_find_version(reader, story, n) for n in sorted(set(numbers))]
            documents = reader.documents([version.id for version in versions])
            return {
                version.number: document
                for version, document in zip(versions, documents, strict=True)
            }

    def search(self, words: str, *, limit: int = 50) -> list[SearchHit]:
        """Stories holding all the words and "quoted phrases" of `words`, newest first, each
        with the first version holding them and, if the latest no longer does, the version
        that dropped them. A phrase must appear as written (case, quotes, dashes and spacing
        folded); the engines' text indexes only propose candidates."""
        phrases = [" ".join(q.split()) for q in _PHRASE.findall(words) if _WORD.search(q)]
        terms = _WORD.findall(_PHRASE.sub(" ", words))
        if not terms and not phrases:
            return []
        with self._store.reading() as reader:
            rows = reader.search(terms, limit, phrases)
        written = [re.compile(rf"(?<!\w){re.escape(_folded(phrase))}(?!\w)") for phrase in phrases]
        hits = []
        for key, title, last_update, count, versions in rows:
            holding = [
                (number, text)
                for number, text in versions
                if all(phrase.search(_folded(text)) for phrase in written)
            ]
            if not holding:  # the engine's stemming matched, the words as written do not
                continue
            (first, text), last = holding[0], holding[-1][0]
            dropped = last + 1 if last < count else None
            snippet = _snippet(text, phrases + terms)
            hits.append(SearchHit(key, title, first, snippet, last_update, dropped))
        return hits

    def blame(self, story_key: str, number: int | None = None) -> Blame:
        """Each sentence of version `number` (default the latest) with where it came from.

        Read from the lineage stored at ingest: nothing is compared again.
        """
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            number = story.version_count if number is None else number
            rows = reader.takes(story.id)
            if not 1 <= number <= len(rows):
                raise _no_version(story, number)
            lines = reader.sentences_with_lineage(rows[number - 1].id)
            removed = reader.removed_by(rows[number - 2].id, number) if number > 1 else []
        from versions.blame import Take, blame
        from versions.lineage import reverts

        takes = {row.number: Take(row.number, row.label, row.created_at) for row in rows}
        document = Document.from_sentences([sentence for sentence, _ in lines])
        return blame(
            story.key,
            story.title,
            document,
            [lineage for _, lineage in lines],
            takes,
            number,
            removed=removed,
            reverts_to=reverts([row.content_hash for row in rows]).get(number),
        )

    def sentence_history(self, story_key: str, number: int, index: int) -> SentenceHistory:
        """Every take that did something to sentence `index` of version `number`: where its
        line began, each change, move, removal and restoration. Read from stored lineage."""
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            rows = reader.takes(story.id)
            if not 1 <= number <= len(rows):
                raise _no_version(story, number)
            lineage = reader.takes_lineage([(row.id, row.number) for row in rows])
            documents = reader.documents([row.id for row in rows])
        if not 0 <= index < len(documents[number - 1].sentences):
            raise UnknownVersion(f"v{number} of {story.key} has no sentence {index}")
        from versions.blame import Take, sentence_history

        takes = {row.number: Take(row.number, row.label, row.created_at) for row in rows}
        return sentence_history(
            story.key,
            story.title,
            takes,
            [lineage[row.number] for row in rows],
            documents,
            number,
            index,
        )

    def reverts(self, story_key: str) -> dict[int, int]:
        """Versions whose text returns to an earlier version's: {version: the one it returns to}."""
        with self._store.reading() as reader:
            rows = reader.takes(_find_story(reader, story_key).id)
        from versions.lineage import reverts

        return reverts([row.content_hash for row in rows])

    def story_grid(self, story_key: str) -> list[GridRow]:
        """The story take by take: each version with what happened to each of its paragraphs
        (and to the paragraphs it removed) and its length in words. Read from stored lineage."""
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            versions = reader.versions(story)
            documents = dict(
                zip(
                    (v.number for v in versions),
                    reader.documents([v.id for v in versions]),
                    strict=True,
                )
            )
        provenance = self._provenance(story.key, documents)
        return [
            GridRow(
                take,
                cells,
                tuple(p.text for p in documents[take.number].paragraphs),
                len(documents[take.number].text.split()),
            )
            for take, cells in provenance.grid()
        ]

    def _provenance(self, story_key: str, documents: dict[int, Document]) -> Provenance:
        with self._store.reading() as reader:
            story = _find_story(reader, story_key)
            rows = reader.takes(story.id)
            covered = [(row.id, row.number) for row in rows if row.number in documents]
            lineage = reader.takes_lineage(covered)
        from versions.blame import Provenance, Take
        from versions.lineage import reverts

        return Provenance(
            story.key,
            story.title,
            {row.number: Take(row.number, row.label, row.created_at) for row in rows},
            documents,
            lineage,
            reverts([row.content_hash for row in rows]),
        )

    # each editor's desk: follows and what they have seen (`user` names the editor)

    def follow(self, user: str, story_key: str) -> Follow:
        """Follow a story (a key or unique key prefix). A first follow counts the story
        as read up to its latest version: news is what arrives after."""
        story = self._story_state(story_key)
        with self._store.editors() as editors:
            return Follow(story.key, editors.follow(user, story, _now()))

    def unfollow(self, user: str, story_key: str) -> Follow:
        story = self._story_state(story_key)
        with self._store.editors() as editors:
            return Follow(story.key, editors.unfollow(user, story))

    def followed(self, user: str) -> frozenset[str]:
        """The keys of the stories `user` follows."""
        with self._store.editors(write=False) as editors:
            return editors.followed(user)

    def mark_seen(self, user: str, story_key: str, number: int) -> bool:
        """`user` has read the story up to version `number` (never moves backwards);
        True when that changed what they had seen."""
        story = self._story_state(story_key)
        if not 1 <= number <= story.version_count:
            raise _no_version(story, number)
        with self._store.editors() as editors:
            return editors.mark_seen(user, story, number, _now())

    def last_seen(self, user: str, story_key: str) -> int | None:
        """The latest version of the story `user` has looked at; None: never looked."""
        story = self._story_state(story_key)
        with self._store.editors(write=False) as editors:
            return editors.last_seen(user, story)

    def unread(self, user: str) -> dict[str, int]:
        """Followed stories with versions newer than the last one `user` saw: key → how many."""
        with self._store.editors(write=False) as editors:
            return editors.unread(user)

    def catchup(self, user: str, *, mark: bool = True) -> list[CatchUp]:
        """For each followed story with news, newest update first: the diff from the last
        version `user` saw to the latest; then (`mark`) counts them as seen."""
        unread = self.unread(user)
        caught: list[tuple[StoryState, CatchUp]] = []
        for key in unread:
            with self._store.reading() as reader:
                story = _find_story(reader, key)
                seen = max(story.version_count - unread[key], 1)
                compared = _pair(reader, story, seen, story.version_count)
                row = reader.story_row(story)
            caught.append((story, CatchUp(row, seen, story.version_count, compared)))
        caught.sort(key=lambda pair: pair[1].story.last_update, reverse=True)
        if mark and caught:
            with self._store.editors() as editors:
                for story, item in caught:
                    editors.mark_seen(user, story, item.latest, _now())
        return [item for _, item in caught]

    def _story_state(self, key_or_prefix: str) -> StoryState:
        with self._store.reading() as reader:
            return _find_story(reader, key_or_prefix)

    def change_token(self) -> int:
        return self._store.change_token()

    def versions_since(self, version_id: int) -> list[VersionRow]:
        with self._store.reading() as reader:
            return reader.versions_after(version_id)

    def arrivals(self, limit: int = 200) -> list[VersionRow]:
        """The latest versions stored across every story, newest first (the desk)."""
        with self._store.reading() as reader:
            return reader.recent_versions(limit)

    def assess(
        self, rows: Iterable[VersionRow], *, watch_terms: Sequence[str] | None = None
    ) -> Iterator[tuple[VersionRow, Assessment]]:
        """`significance` with the advisory line wirediff writes, one arrival at a time and a
        reading session each, so a screen shows them as they come (the desk)."""
        from versions.advisory import advisory

        terms = self.watch_terms if watch_terms is None else watch_terms
        for row in rows:
            with self._store.reading() as reader:
                scored, pair = _scored(reader, row, terms)
            written = advisory(pair) if pair is not None else ""
            yield row, Assessment(scored, written)

    def latest_version_id(self) -> int:
        with self._store.reading() as reader:
            return reader.latest_version_id()

    def significance(
        self, rows: Iterable[VersionRow], *, watch_terms: Sequence[str] | None = None
    ) -> dict[int, Significance]:
        """How much each stored version matters against the one before it, by version id
        (docs/significance.md); with the archive's watch terms unless given. Costs a
        comparison per version: call it off the UI thread, and keep what it returns (a
        version's score changes only if an older take lands before it)."""
        terms = self.watch_terms if watch_terms is None else watch_terms
        with self._store.reading() as reader:
            return {row.id: _scored(reader, row, terms)[0] for row in rows}


def _scored(
    reader: Reader, row: VersionRow, terms: Sequence[str]
) -> tuple[Significance, Comparison | None]:
    """A stored version's significance, and its comparison with the one before (None for
    a first take)."""
    from versions.significance import significance

    story = _find_story(reader, row.story_key)
    if row.number == 1:
        (first,) = reader.documents([row.id])
        return significance(None, first_take=first, watch_terms=terms), None
    previous = _find_version(reader, story, row.number - 1)
    old, new = reader.documents([previous.id, row.id])
    pair = _comparison(story, previous, row, old, new)
    return significance(pair, watch_terms=terms), pair


def _find_story(reader: Reader, key_or_prefix: str) -> StoryState:
    story = reader.story_by_key(key_or_prefix)
    if story is not None:
        return story
    matches = reader.stories_by_key_prefix(key_or_prefix, limit=6)
    if not matches and key_or_prefix != key_or_prefix.lower():
        # Keys made from headlines are lower-case slugs; "Biden" should find them.
        matches = reader.stories_by_key_prefix(key_or_prefix.lower(), limit=6)
    if not matches:
        raise UnknownStory(f"no story {key_or_prefix!r}")
    if len(matches) > 1:
        keys = ", ".join(s.key for s in matches[:5])
        raise AmbiguousStory(f"{key_or_prefix!r} matches several stories: {keys}")
    return matches[0]


def _find_version(reader: Reader, story: StoryState, number: int) -> VersionRow:
    version = reader.version(story, number)
    if version is None:
        raise _no_version(story, number)
    return version


def _pair(reader: Reader, story: StoryState, old: int, new: int) -> Comparison:
    """Version `old` against version `new`, with the two documents compared."""
    old_version = _find_version(reader, story, old)
    new_version = _find_version(reader, story, new)
    old_document, new_document = reader.documents([old_version.id, new_version.id])
    return _comparison(story, old_version, new_version, old_document, new_document)


def _comparison(
    story: StoryState,
    old: VersionRow,
    new: VersionRow,
    old_document: Document,
    new_document: Document,
) -> Comparison:
    # imported here: listing stories and versions never compares
    from versions.compare import compare as compare_documents

    changelog = compare_documents(
        old_document,
        new_document,
        story_key=story.key,
        story_title=story.title,
        old_ref=VersionRef.of(old.number, old_document.meta),
        new_ref=VersionRef.of(new.number, new_document.meta),
    )
    return Comparison(changelog, old_document, new_document)


def _no_version(story: StoryState, number: int) -> UnknownVersion:
    return UnknownVersion(f"{story.key} has no version {number} (it has 1..{story.version_count})")


def _folded(text: str) -> str:
    """Text as a quoted phrase is matched: case, quotes, dashes and spacing folded."""
    return normalise(text).lower()


def _snippet(text: str, terms: list[str]) -> str:
    """The text around the first of the words, on one line."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    positions = [p for p in (lowered.find(t.lower()) for t in terms) if p >= 0]
    at = min(positions) if positions else 0
    start = max(at - SNIPPET_CONTEXT, 0)
    end = min(at + SNIPPET_CONTEXT * 2, len(flat))
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def __getattr__(name: str) -> Any:
    """`IngestResult` where callers have always imported it, loaded with the ingest half."""
    if name == "IngestResult":
        from versions.ingest import IngestResult

        return IngestResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Archive",
    "CatchUp",
    "ChangeCounts",
    "Export",
    "Follow",
    "IngestResult",
    "SearchHit",
    "StoryRow",
    "VersionRow",
]
