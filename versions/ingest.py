"""Storing deliveries in the archive: where each item goes, whether it is already
stored, its comparison with the take before, and the write.

The placement rules (`versions.placement`) decide; the store's `IngestWriter` reads
what they need and writes what they decided, in its own transaction. `Archive`
(`versions.service`) loads this module on the first ingest only: reading the
archive never needs it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from versions import intake, placement, story_match
from versions.align import Link, LinkKind, align
from versions.compare import compare as compare_documents
from versions.comparison import Comparison
from versions.errors import WirediffError
from versions.labels import label_text
from versions.lineage import first_take, links_of, next_take, trace
from versions.model import Document, Status, VersionRef
from versions.placement import StoredVersion
from versions.readers import InputFormat
from versions.records import ChangeCounts, StoryState, VersionRow
from versions.significance import Significance, significance
from versions.store.failures import archive_failure
from versions.store.store import Store
from versions.store.writer import IngestWriter, NewVersion, WouldWait

# deliveries written in one transaction: fewer commits
STORE_BATCH = 32
# committed documents kept for the next takes of their stories to compare against
REMEMBER_VERSIONS = 2048
REMEMBER_MAX_SENTENCES = 2000
_SLUG_WORDS = re.compile(r"[a-z0-9]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 60
_STORY_CHANGES = ("version_count", "first_seen", "last_update", "title", "status")


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


@dataclass(frozen=True, slots=True)
class _Unit:
    """One item of a delivery to store, or why it cannot be (a str)."""

    delivery: intake.Delivery
    index: int
    item: intake.PreparedItem | str


def _units(group: list[intake.Delivery]) -> list[_Unit]:
    units: list[_Unit] = []
    for delivery in group:
        if delivery.reason is not None:
            units.append(_Unit(delivery, 0, delivery.reason))
        else:
            units.extend(_Unit(delivery, n, item) for n, item in enumerate(delivery.items))
    return units


class _Arrivals:
    """When each delivery was taken in: the time given, else when its first item was
    placed; the same for all its items, whichever transaction stores them."""

    def __init__(self, given: datetime | None) -> None:
        self._given = given
        self._times: dict[int, datetime] = {}

    def of(self, delivery: intake.Delivery) -> datetime:
        return self._times.setdefault(id(delivery), self._given or _now())


def _batches(deliveries: Iterable[intake.Delivery], size: int) -> Iterator[list[intake.Delivery]]:
    batch: list[intake.Delivery] = []
    for delivery in deliveries:
        batch.append(delivery)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Settings(Protocol):
    """What ingest takes from the archive it stores into, read at each use (an `Archive`)."""

    max_take_size: int
    watch_terms: tuple[str, ...]


class Ingester:
    """Stores deliveries in an archive's store; keeps the last committed documents so
    the next takes of their stories compare without reading them back."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._recent: OrderedDict[int, Document] = OrderedDict()

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
        delivery = intake.deliver(data, source, self._settings.max_take_size)
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
        files = intake.input_files(paths)
        deliveries = intake.deliveries(files, self._settings.max_take_size, input_format)
        yield from self._store_deliveries(deliveries, story, None)

    def _store_deliveries(
        self,
        deliveries: Iterable[intake.Delivery],
        story_key: str | None,
        received_at: datetime | None,
    ) -> Iterator[IngestResult]:
        """Results after their commit, several deliveries to a transaction (fewer commits).

        Nothing is reported before its commit, so a crash loses only unreported items.
        When an item fails, the transaction is undone and its items stored again one to
        a transaction: a failing item never undoes another. A transaction that would wait
        for another writer's story commits what it has first (`WouldWait`).
        """
        for group in _batches(deliveries, STORE_BATCH):
            units, arrivals = _units(group), _Arrivals(received_at)
            while units:
                try:
                    results = self._store_units(units, story_key, arrivals)
                except Exception:
                    yield from self._store_one_by_one(units, story_key, arrivals)
                    break
                yield from results
                units = units[len(results) :]

    def _store_units(
        self, units: list[_Unit], story_key: str | None, arrivals: _Arrivals
    ) -> list[IngestResult]:
        """The units in one transaction, up to the first that would wait for another
        writer (never the first: a transaction holding no story's lock waits)."""
        if all(isinstance(unit.item, str) for unit in units):
            return [_rejected(unit.delivery.source, str(unit.item)) for unit in units]
        results: list[IngestResult] = []
        stored: dict[int, Document] = {}
        with self._store.ingesting() as writer:
            for unit in units:
                if isinstance(unit.item, str):
                    results.append(_rejected(unit.delivery.source, unit.item))
                    continue
                try:
                    received = arrivals.of(unit.delivery)
                    results.append(
                        self._place(writer, unit.item, unit.delivery, story_key, received, stored)
                    )
                except WouldWait:
                    break
        self._remember(stored)
        return results

    def _store_one_by_one(
        self, units: list[_Unit], story_key: str | None, arrivals: _Arrivals
    ) -> Iterator[IngestResult]:
        """Each item in its own transaction; one that fails is rejected with the reason,
        unless the archive itself failed (disk, connection, lock): that raises."""
        for unit in units:
            try:
                results = self._store_units([unit], story_key, arrivals)
            except Exception as exc:
                if archive_failure(exc):
                    raise
                name = intake.item_name(unit.index, len(unit.delivery.items))
                reason = f"{name} cannot be stored: {intake.failure_text(exc)}"
                results = [_rejected(unit.delivery.source, reason)]
            yield from results

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
        story = self._claim(writer, item, story_key)
        if story is not None:
            existing = writer.stored_versions(story.id)
            texts = writer.version_texts(placement.texts_to_compare(existing, document))
            same = placement.same_item(existing, document, texts) or placement.repeat_of(
                existing,
                writer.same_content(story.id, item.content_hash, label_text(meta.label)),
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
                old_ref=VersionRef.of(previous.number, old.meta),
                new_ref=VersionRef.of(number, meta),
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
            withdrawn=meta.withdrawn,
            correction=meta.correction,
        )
        weight = significance(
            comparison,
            first_take=document,
            watch_terms=self._settings.watch_terms,
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

    def _claim(
        self, writer: IngestWriter, item: intake.PreparedItem, story_key: str | None
    ) -> StoryState | None:
        """The item's story, locked for this transaction, else None for a new one.

        A new story, or a story taking the item's guid, is decided again under the
        threading lock: another writer may have made it since it was looked for.
        Raises `WouldWait` before anything is written.
        """
        story, guid = self._story_for(writer, item, story_key)
        if (story is None or guid) and writer.lock_threading():
            story, guid = self._story_for(writer, item, story_key)
        if story is None:
            return None
        if writer.lock_story(story.id):
            story = writer.story_by_id(story.id)
        if guid:
            writer.update_story(story.id, guid=guid)
            story = replace(story, guid=guid)
        return story

    def _story_for(
        self, writer: IngestWriter, item: intake.PreparedItem, story_key: str | None
    ) -> tuple[StoryState | None, str | None]:
        """`--story`, else the item's guid, else the most similar stored story above
        threshold; and the guid that story is to learn, if any. Reads only."""
        if story_key is not None:
            return writer.story_by_key(story_key), None
        guid = item.document.meta.guid
        if guid:
            story = writer.story_by_guid(guid)
            if story is not None:
                return story, None
        candidates = writer.thread_candidates(item.band_keys, item.headline_key)
        story_id = placement.choose_story(candidates, item.signature, item.headline_key, guid)
        if story_id is None:
            return None, None
        return writer.story_by_id(story_id), guid or None

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


def _rejected(source: str, reason: str) -> IngestResult:
    return IngestResult(source, "rejected", None, None, reason, None)
