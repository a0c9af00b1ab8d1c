"""What the CLI and the TUI call: an `Archive` of wire stories and their versions.

Everything here speaks in model values and the small row dataclasses below;
SQL stays in `versions.store`.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from sqlalchemy import Engine

from versions import intake, placement, story_match
from versions.align import Link, LinkKind, align
from versions.compare import compare as compare_documents
from versions.comparison import Comparison
from versions.config import DEFAULT_MAX_TAKE_SIZE
from versions.editorial import DEFAULT_WATCH_TERMS
from versions.errors import (
    AmbiguousStory,
    UnknownStory,
    UnknownVersion,
    WirediffError,
)
from versions.intake import STDIN
from versions.lineage import first_take, links_of, next_take, trace
from versions.model import (
    ChangeLog,
    Document,
    Status,
    VersionRef,
)
from versions.normalise import normalise
from versions.placement import StoredVersion
from versions.readers import InputFormat
from versions.records import ChangeCounts, SearchHit, StoryRow, StoryState, VersionRow
from versions.significance import Significance, significance
from versions.store import db
from versions.store.failures import archive_failure
from versions.store.reader import Reader
from versions.store.store import Store
from versions.store.writer import IngestWriter, NewVersion

# Imported where used: listing stories and versions needs neither blame, lineage nor
# the exporters (issue 11: the read commands start in under 300 ms).
if TYPE_CHECKING:
    from versions.blame import Blame, Provenance, SentenceHistory, Take
    from versions.export import Format
    from versions.lineage import Cell


@dataclass(frozen=True)
class IngestResult:
    """What became of one item; for a new version, also what watchers tell editors
    (`stored`, the story after the write, and the comparison with the version before),
    so they need not read the archive and compare again."""

    source: str
    status: Literal["added", "unchanged", "rejected"]
    story: str | None
    version: int | None
    reason: str | None
    counts: ChangeCounts | None
    stored: VersionRow | None = field(default=None, compare=False, repr=False)
    story_state: StoryState | None = field(default=None, compare=False, repr=False)
    comparison: Comparison | None = field(default=None, compare=False, repr=False)
    significance: Significance | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.source,
            "story": self.story,
            "version": self.version,
            "status": self.status,
            "reason": self.reason,
            "counts": self.counts.to_dict() if self.counts else None,
        }


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
# deliveries written in one transaction: fewer commits
STORE_BATCH = 32
# committed documents kept for the next takes of their stories to compare against
REMEMBER_VERSIONS = 2048
REMEMBER_MAX_SENTENCES = 2000
_SLUG_WORDS = re.compile(r"[a-z0-9]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 60


def input_files(paths: Iterable[str | Path]) -> list[str]:
    """Files named and files under directories (recursive, name order); "-" is stdin.

    A dangling or looping symlink, a FIFO or a device under a directory is listed too, so
    that reading it reports it rejected instead of passing over it in silence; directory
    symlinks are not followed, so a loop cannot recurse.
    """
    result: list[str] = []
    for path in paths:
        if str(path) == STDIN:
            result.append(STDIN)
            continue
        path = Path(path)
        if path.is_dir():
            result.extend(
                str(p) for p in sorted(path.rglob("*")) if not p.is_dir() and not _hidden(p, path)
            )
        else:
            result.append(str(path))
    return result


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def database_url(url: str | None = None) -> str:
    """The URL `Archive.open(url)` would open, password hidden."""
    return db.safe_url(db.resolve_url(url))


def upgrade_database(url: str | None = None) -> None:
    """Migrate the database to this wirediff's schema (creating it when empty)."""
    db.upgrade(db.resolve_url(url))


def slugify(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    words = _SLUG_WORDS.findall(story_match.headline_key(text))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "story"


def check_story_key(key: str) -> str:
    """A story key given by hand follows the rules of generated ones: a slug, or it is refused."""
    if _SLUG.fullmatch(key) and len(key) <= SLUG_MAX_LENGTH:
        return key
    raise WirediffError(
        f"story key {key!r} is not a slug: lower-case letters and digits in words "
        f"joined by single hyphens, at most {SLUG_MAX_LENGTH} characters"
    )


def _now() -> datetime:
    return datetime.now(UTC)


_STORY_CHANGES = ("version_count", "first_seen", "last_update", "title", "status")


def _batches(deliveries: Iterable[intake.Delivery], size: int) -> Iterator[list[intake.Delivery]]:
    batch: list[intake.Delivery] = []
    for delivery in deliveries:
        batch.append(delivery)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Archive:
    """The stored stories; open with `Archive.open`, use as a context manager."""

    def __init__(
        self,
        engine: Engine,
        url: str,
        *,
        max_take_size: int = DEFAULT_MAX_TAKE_SIZE,
        watch_terms: Sequence[str] = DEFAULT_WATCH_TERMS,
    ) -> None:
        self.url = url
        self.max_take_size = max_take_size
        self.watch_terms = tuple(watch_terms)
        self._store = Store(engine)
        self._recent: OrderedDict[int, Document] = OrderedDict()

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
        engine = db.open_engine(resolved, create=create)
        return cls(engine, resolved, max_take_size=max_take_size, watch_terms=watch_terms)

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

    # ingest

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
        if story is not None:
            check_story_key(story)
        delivery = intake.deliver(data, source, self.max_take_size)
        return list(self._store_deliveries([delivery], story, received_at))

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
        if story is not None:
            check_story_key(story)
        deliveries = intake.deliveries(input_files(paths), self.max_take_size, input_format)
        yield from self._store_deliveries(deliveries, story, None)

    def _store_deliveries(
        self,
        deliveries: Iterable[intake.Delivery],
        story_key: str | None,
        received_at: datetime | None,
    ) -> Iterator[IngestResult]:
        """Results after their commit, several deliveries to a transaction (fewer commits).

        Nothing is reported before its commit, so a crash loses only unreported items.
        When an item fails, the group's transaction is undone and the group stored
        again one item to a transaction: a failing item never undoes another.
        """
        for group in _batches(deliveries, STORE_BATCH):
            try:
                results = self._store_group(group, story_key, received_at)
            except Exception:
                yield from self._store_one_by_one(group, story_key, received_at)
                continue
            yield from results

    def _store_group(
        self,
        group: list[intake.Delivery],
        story_key: str | None,
        received_at: datetime | None,
    ) -> list[IngestResult]:
        if all(delivery.reason is not None for delivery in group):
            return [_rejected(d.source, d.reason or "") for d in group]
        results: list[IngestResult] = []
        stored: dict[int, Document] = {}
        with self._store.ingesting() as writer:
            for delivery in group:
                received = received_at or _now()
                if delivery.reason is not None:
                    results.append(_rejected(delivery.source, delivery.reason))
                    continue
                for item in delivery.items:
                    results.append(
                        _rejected(delivery.source, item)
                        if isinstance(item, str)
                        else self._place(writer, item, delivery, story_key, received, stored)
                    )
        self._remember(stored)
        return results

    def _store_one_by_one(
        self,
        group: list[intake.Delivery],
        story_key: str | None,
        received_at: datetime | None,
    ) -> Iterator[IngestResult]:
        """Each item in its own transaction; one that fails is rejected with the reason,
        unless the archive itself failed (disk, connection, lock): that raises."""
        for delivery in group:
            received = received_at or _now()
            if delivery.reason is not None:
                yield _rejected(delivery.source, delivery.reason)
                continue
            for index, item in enumerate(delivery.items):
                if isinstance(item, str):
                    yield _rejected(delivery.source, item)
                    continue
                stored: dict[int, Document] = {}
                try:
                    with self._store.ingesting() as writer:
                        result = self._place(writer, item, delivery, story_key, received, stored)
                except Exception as exc:
                    if archive_failure(exc):
                        raise
                    name = intake.item_name(index, len(delivery.items))
                    result = _rejected(
                        delivery.source, f"{name} cannot be stored: {intake.failure_text(exc)}"
                    )
                self._remember(stored)
                yield result

    def _place(
        self,
        writer: IngestWriter,
        item: intake.PreparedItem,
        delivery: intake.Delivery,
        story_key: str | None,
        received: datetime,
        stored: dict[int, Document],
    ) -> IngestResult:
        """Decide the item's story and number by the placement rules, then write it."""
        document, meta = item.document, item.document.meta
        source = delivery.source
        created = meta.created or received
        story = self._story_for(writer, item, story_key)
        if story is not None:
            existing = writer.stored_versions(story.id)
            texts = writer.version_texts(placement.texts_to_compare(existing, document))
            same = placement.same_item(existing, document, texts) or placement.repeat_of(
                existing,
                writer.same_content(story.id, item.content_hash, meta.label),
                meta,
                created,
            )
            if same is not None:
                learned = placement.learned_identity(same, meta)
                if learned:
                    writer.update_version(same.id, **learned)
                return IngestResult(source, "unchanged", story.key, same.number, None, None)
        else:
            key = story_key or slugify(item.headline)
            story = writer.new_story(key, meta.guid, received, created)
            existing = []
        number = placement.position(existing, meta, created)
        if number <= len(existing):
            writer.make_room(story.id, number)
        previous = existing[number - 2] if number > 1 else None
        following = existing[number - 1] if number <= len(existing) else None
        count = len(existing) + 1
        title = item.headline if number == count else story.title
        comparison = None
        links = None
        if previous is not None:
            old = self._stored_document(writer, previous.id, stored)
            # aligned once: for the change log and for the sentences' lineage
            links = align(old.sentences, document.sentences)
            changelog = compare_documents(
                old,
                document,
                story_key=story.key,
                story_title=title,
                old_ref=VersionRef(previous.number, previous.label),
                new_ref=VersionRef(number, meta.label),
                links=links,
            )
            comparison = Comparison(changelog, old, document)
        counts = ChangeCounts.of(comparison.changelog) if comparison else None
        new = NewVersion(
            story_id=story.id,
            number=number,
            document=document,
            raw=delivery.data,
            item_index=item.index,
            source=source,
            received_at=received,
            created_at=created,
            content_hash=item.content_hash,
            headline=item.headline,
            headline_key=item.headline_key,
            summary=item.summary,
            signature=item.signature,
            band_keys=item.band_keys,
            counts=counts.to_dict() if counts else None,
        )
        version_id = writer.insert_version(new)
        stored[version_id] = document
        if following is not None:
            following_document = self._stored_document(writer, following.id, stored)
            following_links = align(document.sentences, following_document.sentences)
            following_log = compare_documents(document, following_document, links=following_links)
            writer.update_version(following.id, counts=ChangeCounts.of(following_log).to_dict())
            known = {number: links, number + 1: following_links}
            self._relineage(writer, story.id, stored, known)
        else:
            old_document = comparison.old if comparison else None
            self._add_lineage(
                writer,
                story.id,
                version_id,
                number,
                document,
                previous,
                old_document,
                links,
                stored,
            )
        after = replace(
            story,
            version_count=count,
            first_seen=min(story.first_seen, received),
            last_update=max(story.last_update, created),
            title=title,
            status=str(Status.WITHDRAWN) if meta.withdrawn else story.status,
        )
        # only what changed: rewriting an unchanged title would reindex it for search
        writer.update_story(
            story.id,
            **{
                name: getattr(after, name)
                for name in _STORY_CHANGES
                if getattr(after, name) != getattr(story, name)
            },
        )
        row = VersionRow(
            story_key=story.key,
            number=number,
            label=meta.label,
            received_at=received,
            created_at=created,
            headline=item.headline,
            advisory=meta.advisory,
            counts=counts,
            id=version_id,
            format=meta.format,
            item_index=item.index,
        )
        weight = significance(
            comparison,
            first_take=document,
            watch_terms=self.watch_terms,
        )
        return IngestResult(
            source, "added", story.key, number, None, counts, row, after, comparison, weight
        )

    def _add_lineage(
        self,
        writer: IngestWriter,
        story_id: int,
        version_id: int,
        number: int,
        document: Document,
        previous: StoredVersion | None,
        previous_document: Document | None,
        links: list[Link] | None,
        stored: dict[int, Document],
    ) -> None:
        """The new last take's lineage, from the alignment its change counts came from."""
        if previous is None or previous_document is None:
            take = first_take(document, number)
        else:
            before = writer.take_lineage(story_id, previous.id, previous.number)
            if before is None:  # stored without lineage: trace the story again
                self._relineage(writer, story_id, stored, {number: links})
                return
            adds = links is None or any(link.kind is LinkKind.ADDED for link in links)
            pool = writer.removed_before(story_id, number) if adds else []
            take = next_take(number, previous_document, document, before.sentences, pool, links)
        writer.add_lineage(story_id, version_id, take, previous.id if previous else None)

    def _relineage(
        self,
        writer: IngestWriter,
        story_id: int,
        stored: dict[int, Document],
        known: dict[int, list[Link] | None],
    ) -> None:
        """The whole story's lineage again, after a take arrived before others and renumbered
        them. Takes keep the alignment their stored lineage records; only those in `known`
        (take number → its alignment with the take before), or stored without lineage, are
        aligned."""
        versions = writer.stored_versions(story_id)
        documents = [self._stored_document(writer, v.id, stored) for v in versions]
        lineage = writer.story_lineage(
            [(v.id, v.number) for v in versions if v.number not in known]
        )
        links: list[list[Link] | None] = [
            known[number]
            if number in known
            else links_of(lineage[number], len(documents[number - 2].sentences))
            if number in lineage
            else None
            for number in range(2, len(versions) + 1)
        ]
        writer.replace_lineage(story_id, [v.id for v in versions], trace(documents, links))

    def _story_for(
        self, writer: IngestWriter, item: intake.PreparedItem, story_key: str | None
    ) -> StoryState | None:
        """`--story`, else the item's guid, else the most similar stored story above threshold."""
        if story_key is not None:
            return writer.story_by_key(story_key)
        guid = item.document.meta.guid
        if guid:
            story = writer.story_by_guid(guid)
            if story is not None:
                return story
        candidates = writer.thread_candidates(item.band_keys, item.headline_key)
        story_id = placement.choose_story(candidates, item.signature, item.headline_key, guid)
        if story_id is None:
            return None
        if guid:
            writer.update_story(story_id, guid=guid)
        return writer.story_by_id(story_id)

    def _stored_document(
        self, writer: IngestWriter, version_id: int, stored: dict[int, Document]
    ) -> Document:
        """A stored version's sentences: from this run's memory when it has them."""
        document = stored.get(version_id) or self._recent.get(version_id)
        return document if document is not None else writer.document(version_id)

    def _remember(self, stored: dict[int, Document]) -> None:
        """Keep committed documents for the next takes to compare against (never a
        rolled-back one: its id may be given again)."""
        for version_id, document in stored.items():
            if len(document.sentences) <= REMEMBER_MAX_SENTENCES:
                self._recent[version_id] = document
                self._recent.move_to_end(version_id)
        while len(self._recent) > REMEMBER_VERSIONS:
            self._recent.popitem(last=False)

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
        with self._store.editors() as editors:
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
        with self._store.editors() as editors:
            return editors.last_seen(user, story)

    def unread(self, user: str) -> dict[str, int]:
        """Followed stories with versions newer than the last one `user` saw: key → how many."""
        with self._store.editors() as editors:
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
        old_ref=VersionRef(old.number, old.label),
        new_ref=VersionRef(new.number, new.label),
    )
    return Comparison(changelog, old_document, new_document)


def _no_version(story: StoryState, number: int) -> UnknownVersion:
    return UnknownVersion(f"{story.key} has no version {number} (it has 1..{story.version_count})")


def _rejected(source: str, reason: str) -> IngestResult:
    return IngestResult(source, "rejected", None, None, reason, None)


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
