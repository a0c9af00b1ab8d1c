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

from versions import intake, placement, story_match, take_chain
from versions.align import Link, align
from versions.compare import compare as compare_documents
from versions.comparison import Comparison
from versions.errors import WirediffError
from versions.labels import label_text
from versions.lineage import links_of, trace
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
        with intake.workers(files) as pool:
            deliveries = intake.deliveries(files, self._settings.max_take_size, input_format, pool)
            yield from self._store_deliveries(deliveries, story, None, pool)

    def _store_deliveries(
        self,
        deliveries: Iterable[intake.Delivery],
        story_key: str | None,
        received_at: datetime | None,
        pool: intake.Workers | None = None,
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
                    results = self._store_units(units, story_key, arrivals, pool)
                except Exception:
                    yield from self._store_one_by_one(units, story_key, arrivals)
                    break
                yield from results
                units = units[len(results) :]

    def _store_units(
        self,
        units: list[_Unit],
        story_key: str | None,
        arrivals: _Arrivals,
        pool: intake.Workers | None = None,
    ) -> list[IngestResult]:
        """The units in one transaction, up to the first that would wait for another
        writer (never the first: a transaction holding no story's lock waits).

        Each take is placed and written first; a take placed last in its story is
        compared with the take before it meanwhile (by the `pool`'s workers when given),
        and its counts and lineage are written before the commit.
        """
        if all(isinstance(unit.item, str) for unit in units):
            return [_rejected(unit.delivery.source, str(unit.item)) for unit in units]
        outcomes: list[IngestResult | _Placed] = []
        stored: dict[int, Document] = {}
        chains = _Comparisons(pool, self._settings.watch_terms)
        with self._store.ingesting() as writer:
            for unit in units:
                if isinstance(unit.item, str):
                    outcomes.append(_rejected(unit.delivery.source, unit.item))
                    continue
                try:
                    received = arrivals.of(unit.delivery)
                    outcomes.append(
                        self._place(
                            writer, unit.item, unit.delivery, story_key, received, stored, chains
                        )
                    )
                except WouldWait:
                    break
                chains.placed()
            chains.write(writer)
        self._remember(stored)
        return [
            outcome.result() if isinstance(outcome, _Placed) else outcome for outcome in outcomes
        ]

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
        chains: _Comparisons,
    ) -> IngestResult | _Placed:
        """Decide the item's story and number by the placement rules, then write it.

        A take placed last in its story joins the story's chain, to be compared later in
        the transaction; a take placed before others is compared and written at once.
        """
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
            chains.settle(writer, story.id)
            writer.make_room(story.id, number)
            return self._place_before(
                writer, item, delivery, story, existing, number, received, stored
            )
        previous = existing[-1] if existing else None
        chain = self._chain(writer, story.id, previous, number, stored, chains)
        if chain is None:  # the take before was stored without lineage
            return self._place_before(
                writer, item, delivery, story, existing, number, received, stored
            )
        version_id = writer.insert_version(
            _new_version(story.id, number, item, delivery, received, created, None)
        )
        stored[version_id] = document
        after = _update_story(writer, story, item, received, len(existing) + 1, item.headline)
        placed = _Placed(
            source,
            after,
            _row(story.key, number, item, received, created, version_id, None),
            previous.id if previous else None,
            chain.last_document,
            document,
        )
        chain.placed.append(placed)
        return placed

    def _chain(
        self,
        writer: IngestWriter,
        story_id: int,
        previous: StoredVersion | None,
        number: int,
        stored: dict[int, Document],
        chains: _Comparisons,
    ) -> _Chain | None:
        """The chain of takes the story's next take joins, begun from what the store has of
        the take before; None when that take has no stored lineage."""
        chain = chains.joined(story_id)
        if chain is not None:
            return chain
        if previous is None:
            return chains.begin(story_id, None, None)
        before = writer.take_lineage(story_id, previous.id, previous.number)
        if before is None:
            return None
        old = self._stored_document(writer, previous.id, stored)
        removed = writer.removed_before(story_id, number)
        start = take_chain.start_of(old, previous.number, before, removed)
        return chains.begin(story_id, start, old)

    def _place_before(
        self,
        writer: IngestWriter,
        item: intake.PreparedItem,
        delivery: intake.Delivery,
        story: StoryState,
        existing: list[StoredVersion],
        number: int,
        received: datetime,
        stored: dict[int, Document],
    ) -> IngestResult:
        """Write a take placed before others (or after a take without stored lineage),
        compared at once: the story's lineage is traced again."""
        document, meta = item.document, item.document.meta
        created = meta.created or received
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
        version_id = writer.insert_version(
            _new_version(story.id, number, item, delivery, received, created, counts)
        )
        stored[version_id] = document
        known: dict[int, list[Link] | None] = {number: links}
        if following is not None:
            following_document = self._stored_document(writer, following.id, stored)
            following_links = align(document.sentences, following_document.sentences)
            following_log = compare_documents(document, following_document, links=following_links)
            writer.update_version(following.id, counts=ChangeCounts.of(following_log).to_dict())
            known[number + 1] = following_links
        self._relineage(writer, story.id, stored, known)
        after = _update_story(writer, story, item, received, count, title)
        row = _row(story.key, number, item, received, created, version_id, counts)
        weight = significance(
            comparison,
            first_take=document,
            watch_terms=self._settings.watch_terms,
        )
        return IngestResult(
            delivery.source,
            "added",
            story.key,
            number,
            None,
            counts,
            row,
            after,
            comparison,
            weight,
        )

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


@dataclass(slots=True)
class _Placed:
    """A take written last in its story, its comparison with the take before to come."""

    source: str
    story: StoryState  # after the write
    row: VersionRow  # counts to come
    previous_id: int | None
    old: Document | None
    document: Document
    compared: take_chain.ComparedTake | None = None

    def result(self) -> IngestResult:
        assert self.compared is not None, "compared before the commit"
        changelog, counts = self.compared.changelog, self.compared.counts
        comparison = Comparison(changelog, self.old, self.document) if changelog else None
        return IngestResult(
            self.source,
            "added",
            self.story.key,
            self.row.number,
            None,
            counts,
            replace(self.row, counts=counts),
            self.story,
            comparison,
            self.compared.significance,
        )


@dataclass(slots=True)
class _Chain:
    """A story's takes placed last, one after the other, in this transaction.

    It starts from the stored take before its first (`start`, `old` its document; None
    for a new story), or from where the chain it `follows` ends, when that one was sent
    to be compared before this one's first take was placed.
    """

    story_id: int
    start: take_chain.ChainStart | None
    old: Document | None
    follows: _Chain | None = None
    placed: list[_Placed] = field(default_factory=list)
    job: take_chain.TakeChain | None = None  # as sent
    task: intake.Task[list[list[take_chain.ComparedTake]]] | None = None
    slot: int = 0  # this chain's place in its task's results
    compared: list[take_chain.ComparedTake] | None = None
    written: bool = False

    @property
    def last_document(self) -> Document | None:
        return self.placed[-1].document if self.placed else self.old


class _Comparisons:
    """The chains of one transaction's takes, compared by the pool's workers: sent a few
    takes at a time while the writer places the next, so that the transaction waits
    little for them at its end (without a pool, each chain is compared when written)."""

    WAVE = 8  # takes placed between sendings

    def __init__(self, pool: intake.Workers | None, watch_terms: tuple[str, ...]) -> None:
        self._pool = pool
        self._watch_terms = watch_terms
        self._chains: list[_Chain] = []  # in the order begun: a story's in its order
        self._last: dict[int, _Chain] = {}  # each story's last chain
        self._unsent = 0

    def joined(self, story_id: int) -> _Chain | None:
        """The story's chain its next take joins; a new one if that one was sent."""
        chain = self._last.get(story_id)
        if chain is None or chain.job is None:
            return chain
        return self.begin(story_id, None, chain.last_document, follows=chain)

    def begin(
        self,
        story_id: int,
        start: take_chain.ChainStart | None,
        old: Document | None,
        follows: _Chain | None = None,
    ) -> _Chain:
        chain = _Chain(story_id, start, old, follows)
        self._chains.append(chain)
        self._last[story_id] = chain
        return chain

    def placed(self) -> None:
        """One more take placed: send what formed since the last sending, now and then."""
        self._unsent += 1
        if self._pool is not None and self._unsent >= self.WAVE:
            self._send([c for c in self._chains if c.job is None and self._ready(c)])

    def settle(self, writer: IngestWriter, story_id: int) -> None:
        """Compare and write the story's chains now: a take placed before them renumbers
        the story's takes and traces its lineage again from what is stored."""
        for chain in self._chains:
            if chain.story_id == story_id and not chain.written:
                self._write(writer, chain)
        self._last.pop(story_id, None)

    def write(self, writer: IngestWriter) -> None:
        """Every chain's counts and lineage, once compared; a story's chains in order."""
        self._send([c for c in self._chains if c.job is None and self._ready(c)])
        for chain in self._chains:
            if not chain.written:
                self._write(writer, chain)

    def _write(self, writer: IngestWriter, chain: _Chain) -> None:
        for placed, result in zip(chain.placed, self._compared(chain), strict=True):
            version_id = placed.row.id
            assert version_id is not None
            if result.counts is not None:
                writer.update_version(version_id, counts=result.counts.to_dict())
            writer.add_lineage(
                chain.story_id, version_id, result.lineage, placed.previous_id, result.lineage_rows
            )
            placed.compared = result
        chain.written = True

    def _ready(self, chain: _Chain) -> bool:
        """Whether the chain's start is known: the chain it follows is compared."""
        return chain.follows is None or (
            chain.follows.task is not None and chain.follows.task.done()
        )

    def _compared(self, chain: _Chain) -> list[take_chain.ComparedTake]:
        if chain.compared is None:
            if chain.job is None:
                self._send([chain])
            assert chain.task is not None
            chain.compared = chain.task.result()[chain.slot]
        return chain.compared

    def _send(self, chains: list[_Chain]) -> None:
        """Each chain's job to the workers, in a task per worker (done here without a pool)."""
        self._unsent = 0
        if not chains:
            return
        jobs: list[take_chain.TakeChain] = []
        for chain in chains:
            if chain.follows is not None:
                followed = chain.follows
                assert followed.job is not None
                chain.start = take_chain.end_of(followed.job, self._compared(followed))
            takes = tuple(
                take_chain.next_of(p.document, p.row.number, p.story.key, p.story.title)
                for p in chain.placed
            )
            chain.job = take_chain.TakeChain(chain.start, takes, self._watch_terms)
            jobs.append(chain.job)
        size = -(-len(jobs) // intake.WORKERS)
        for first in range(0, len(chains), size):
            part = chains[first : first + size]
            task = _task(self._pool, jobs[first : first + size])
            for slot, chain in enumerate(part):
                chain.task, chain.slot = task, slot


def _task(
    pool: intake.Workers | None, jobs: list[take_chain.TakeChain]
) -> intake.Task[list[list[take_chain.ComparedTake]]]:
    if pool is not None:
        return pool.submit(take_chain.compare_chains, jobs, urgent=True)
    return intake.run_here(take_chain.compare_chains, jobs)


def _new_version(
    story_id: int,
    number: int,
    item: intake.PreparedItem,
    delivery: intake.Delivery,
    received: datetime,
    created: datetime,
    counts: ChangeCounts | None,
) -> NewVersion:
    return NewVersion(
        story_id=story_id,
        number=number,
        document=item.document,
        raw=delivery.data,
        item_index=item.index,
        source=delivery.source,
        received_at=received,
        created_at=created,
        content_hash=item.content_hash,
        headline=item.headline,
        headline_key=item.headline_key,
        summary=item.summary,
        signature=item.signature,
        band_keys=item.band_keys,
        counts=counts.to_dict() if counts else None,
        byline=item.byline,
        dateline=item.dateline,
        sentence_hashes=item.sentence_hashes,
    )


def _update_story(
    writer: IngestWriter,
    story: StoryState,
    item: intake.PreparedItem,
    received: datetime,
    count: int,
    title: str,
) -> StoryState:
    """The story once the item is written, and what changed written."""
    meta = item.document.meta
    after = replace(
        story,
        version_count=count,
        first_seen=min(story.first_seen, received),
        last_update=max(story.last_update, meta.created or received),
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
    return after


def _row(
    story_key: str,
    number: int,
    item: intake.PreparedItem,
    received: datetime,
    created: datetime,
    version_id: int,
    counts: ChangeCounts | None,
) -> VersionRow:
    meta = item.document.meta
    return VersionRow(
        story_key=story_key,
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


def _rejected(source: str, reason: str) -> IngestResult:
    return IngestResult(source, "rejected", None, None, reason, None)
