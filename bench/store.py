"""The store at scale: the threading lookup and the queries an editor waits on.

Part of `python -m bench` (10k and 100k versions; 1,000,000 with `--full`); alone:
`python -m bench.store [--full]`. The query plans go into the results' `facts`.

Generates a big archive with bulk inserts (stories, versions, their sentences, LSH
bands and search index, shaped like ingest writes them: versions of one story share
most sentences and most MinHash values) and a small one (1,000 versions) with the same
generator, then times each hot query through `Archive` on both. The ratio big/small is
what a hundred- to thousand-fold bigger archive costs; an index-backed query stays near
1, a scan grows with the data. `SELECT 1` gives the round trip for scale.

SQLite: the big file is cached under /tmp/wirediff-bench/ (keyed by size and schema
revision) and reused; the stories the ingest timing adds are deleted afterwards.
PostgreSQL: scratch databases, created through the admin URL and dropped at the end.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, insert, text

from bench.corpus import story_takes
from bench.harness import (
    ROOT,
    Figure,
    Run,
    at_most,
    megabytes,
    postgres_database,
    postgres_query,
    python_peak,
)
from versions import story_match
from versions.service import Archive
from versions.store import db
from versions.store.driver import Driver
from versions.store.reader import Reader
from versions.store.schema import story_table, version_table

CACHE = Path("/tmp/wirediff-bench")
SAMPLES = ROOT / "samples"
SMALL_STORIES, SMALL_VERSIONS = 100, 1_000
START = datetime(2024, 1, 1, tzinfo=UTC)
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "ve",
    "so",
    "pa",
    "di",
    "gu",
    "be",
    "fo",
    "ha",
    "ji",
    "wu",
    "ze",
    "ny",
    "qu",
    "xi",
]
CHUNK = 20_000
# the search indexes on PostgreSQL's version_piece, made again after a bulk fill
SEARCH_GIN = {
    "ix_version_piece_whole": "WHERE number = 0",
    "ix_version_piece_cut": "WHERE number > 0",
}


# generation


def _vocabulary(rng: random.Random, size: int = 6_000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _sentence(rng: random.Random, words: list[str]) -> str:
    # Zipf-like: a few words are everywhere, most are rare
    chosen = [words[min(int(rng.paretovariate(0.8)) - 1, len(words) - 1)] for _ in range(10)]
    return " ".join(chosen).capitalize() + "."


def _mutate(signature: list[int], rng: random.Random, changes: int) -> list[int]:
    result = list(signature)
    for position in rng.sample(range(story_match.PERMUTATIONS), changes):
        result[position] = rng.getrandbits(61)
    return result


def _stories(
    count: int, versions: int, seed: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """One story row and its version rows (with their sentences and band keys) at a time."""
    rng = random.Random(seed)
    words = _vocabulary(random.Random(1))
    per_story = [versions // count + (1 if n < versions % count else 0) for n in range(count)]
    for number in range(count):
        title_words = [rng.choice(words) for _ in range(rng.randint(5, 9))]
        title = " ".join(title_words).capitalize()
        first = START + timedelta(minutes=number * 5)
        signature = [rng.getrandbits(61) for _ in range(story_match.PERMUTATIONS)]
        body = [_sentence(rng, words) for _ in range(3)]
        rows = []
        for index in range(per_story[number]):
            if index:
                body.insert(rng.randint(0, len(body)), _sentence(rng, words))
                body[rng.randrange(len(body))] = _sentence(rng, words)
                body = body[-6:]
                signature = _mutate(signature, rng, 8)
            headline = title if index == 0 else f"UPDATE {index}-{title}"
            content = "\n\n".join([headline, *body])
            created = first + timedelta(minutes=20 * index)
            rows.append(
                {
                    "number": index + 1,
                    "label": f"UPDATE {index}" if index else None,
                    "created_at": created,
                    "received_at": created,
                    "headline": title,
                    "text": content,
                    "sentences": [title, *body],
                    "signature": tuple(signature),
                }
            )
        story = {
            "key": "-".join(title_words[:6]).lower() + f"-{number}",
            "title": title,
            "first_seen": first,
            "last_update": rows[-1]["created_at"],
            "version_count": len(rows),
        }
        yield story, rows


def generate(url: str, stories: int, versions: int, seed: int = 5) -> None:
    """Fill a new database at head with `stories` stories and `versions` versions."""
    with Archive.open(url):
        pass
    engine = db.make_engine(url)
    postgres = engine.dialect.name == "postgresql"
    story_id = version_id = 0
    started = time.perf_counter()
    try:
        with engine.begin() as connection:
            if postgres:
                for index in SEARCH_GIN:
                    connection.exec_driver_sql(f"DROP INDEX {index}")
            else:
                connection.exec_driver_sql("PRAGMA cache_size=-2000000")
            story_rows: list[dict[str, Any]] = []
            version_rows: list[dict[str, Any]] = []
            sentence_rows: list[tuple[Any, ...]] = []
            band_rows: list[tuple[int, int, int]] = []

            def flush() -> None:
                if story_rows:
                    connection.execute(insert(story_table), story_rows)
                if version_rows:
                    connection.execute(insert(version_table), version_rows)
                _bulk(
                    connection,
                    "sentence",
                    ["version_id", "position", "paragraph", "section", "kind", "text", "hash"],
                    sentence_rows,
                )
                _bulk(connection, "band", ["key", "version_id", "story_id"], band_rows)
                for rows in (story_rows, version_rows, sentence_rows, band_rows):
                    rows.clear()

            for story, rows in _stories(stories, versions, seed):
                story_id += 1
                story_rows.append({**story, "id": story_id, "status": "active", "guid": None})
                for row in rows:
                    version_id += 1
                    content: str = row["text"]
                    version_rows.append(
                        {
                            "id": version_id,
                            "story_id": story_id,
                            "number": row["number"],
                            "label": row["label"],
                            "guid": None,
                            "agency_version": None,
                            "withdrawn": False,
                            "correction": False,
                            "received_at": row["received_at"],
                            "created_at": row["created_at"],
                            "source": f"gen/{story_id}/{row['number']}.txt",
                            "format": "text",
                            "raw": content.encode(),
                            "item_index": 0,
                            "encoding": "utf-8",
                            "text": content,
                            "content_hash": hashlib.sha256(content.encode()).hexdigest(),
                            "headline": row["headline"],
                            "headline_key": story_match.headline_key(row["headline"]),
                            "summary": "",
                            "byline": "",
                            "dateline": "",
                            "advisory": None,
                            "ednote": None,
                            "minhash": story_match.pack(row["signature"]),
                            "counts": {"added": 1, "changed": 1} if row["number"] > 1 else None,
                        }
                    )
                    for position, sentence in enumerate(row["sentences"]):
                        section = "headline" if position == 0 else "body"
                        sentence_rows.append(
                            (
                                version_id,
                                position,
                                position,
                                section,
                                "text",
                                sentence,
                                hashlib.blake2b(sentence.encode(), digest_size=8).hexdigest(),
                            )
                        )
                    band_rows.extend(
                        (key, version_id, story_id)
                        for key in set(story_match.band_keys(row["signature"]))
                    )
                if len(version_rows) >= CHUNK:
                    flush()
                    _progress(version_id, versions, started)
            flush()
            if postgres:
                for table in ("story", "version"):
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id))"
                        f" FROM {table}"
                    )
                # every generated text is under PIECE_SIZE: each one piece, kept whole
                connection.exec_driver_sql(
                    "INSERT INTO version_piece (version_id, number, terms)"
                    " SELECT id, 0, to_tsvector('english', text) FROM version"
                )
                for index, definition in SEARCH_GIN.items():
                    connection.exec_driver_sql(
                        f"CREATE INDEX {index} ON version_piece USING gin (terms) {definition}"
                    )
            else:
                connection.exec_driver_sql(
                    "INSERT INTO version_piece (rowid, text) SELECT id, text FROM version"
                )
        if postgres:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()
    print(
        f"  generated {story_id:,} stories / {version_id:,} versions"
        f" in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


def _bulk(
    connection: Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _progress(done: int, total: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    print(f"\r  {done:,}/{total:,} versions, {elapsed:.0f} s", end="", file=sys.stderr, flush=True)
    if done >= total:
        print(file=sys.stderr)


# databases


def sqlite_archive(stories: int, versions: int, cache: Path = CACHE) -> str:
    """The generated archive plus the seed story, built once per size and schema revision."""
    cache.mkdir(exist_ok=True)
    path = cache / f"store-{stories}x{versions}-{db.head_revision()}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in cache.glob(f"{partial.name}*"):
            leftover.unlink()
        generate(f"sqlite:///{partial}", stories, versions)
        _seed_story(f"sqlite:///{partial}")
        partial.rename(path)
    return f"sqlite:///{path}"


# timing


class Probe:
    """The hot queries on one archive, with what they need picked from its data."""

    def __init__(self, archive: Archive, engine: Engine, rng: random.Random) -> None:
        self.archive = archive
        self.engine = engine
        with engine.connect() as connection:
            count = connection.exec_driver_sql("SELECT max(id) FROM story").scalar() or 0
            ids = [rng.randint(1, count) for _ in range(50)]
            keys = [
                connection.execute(text("SELECT key FROM story WHERE id = :id"), {"id": i}).scalar()
                for i in ids
            ]
            minhashes = [
                connection.execute(
                    text(
                        "SELECT minhash, headline_key FROM version"
                        " WHERE story_id = :id ORDER BY number DESC"
                    ),
                    {"id": i},
                ).first()
                for i in ids
            ]
        self.keys = [str(k) for k in keys]
        self.title_word = max(self.keys[0].split("-")[:-1], key=len)  # in a title or two
        self.prefixes = [key.rsplit("-", 1)[0] for key in self.keys]  # the words, not the number
        # the next take of a stored story: its signature a little changed
        self.updates = []
        for row in minhashes:
            if row is not None:
                signature = tuple(_mutate(list(story_match.unpack(row[0])), rng, 8))
                self.updates.append((signature, story_match.band_keys(signature), row[1]))
        self.rng = rng

    def select_1(self) -> None:
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1").scalar()

    def first_page(self) -> None:
        assert len(self.archive.stories(limit=100)) == 100

    def match_rare(self) -> None:
        assert self.archive.stories(match=self.title_word, limit=100)

    def match_none(self) -> None:
        assert self.archive.stories(match="no such title xq", limit=100) == []

    def versions(self) -> None:
        assert self.archive.versions(self.rng.choice(self.keys))

    def story_prefix(self) -> None:
        self.archive.story(self.rng.choice(self.prefixes))

    def search(self) -> None:
        assert self.archive.search(self.title_word, limit=50)

    def thread_lookup(self) -> None:
        """What ingest does to find a take's story: the band lookup, then the best score."""
        signature, band_keys, headline_key = self.rng.choice(self.updates)
        with self.archive._store.ingesting() as writer:  # the lock and transaction ingest holds
            candidates = writer.thread_candidates(band_keys, headline_key)
        best = max(
            story_match.score(signature, headline_key, c.signature, c.headline_key)
            for c in candidates
        )
        assert best >= story_match.THRESHOLD


QUERIES: list[tuple[str, str]] = [
    ("SELECT 1 round trip", "select_1"),
    ("stories(limit=100) first page", "first_page"),
    ("stories(match=title word)", "match_rare"),
    ("stories(match=no such text)", "match_none"),
    ("versions(key)", "versions"),
    ("story(prefix)", "story_prefix"),
    ("search(a title word)", "search"),
    ("threading lookup", "thread_lookup"),
]


def best_ms(call: Callable[[], None], repeat: int) -> float:
    """The fastest of several calls after a warm one: on a shared machine the other
    processes only ever add time, so the fastest is the query's own cost."""
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def time_ingest(archive: Archive, repeat: int) -> tuple[float, list[str]]:
    """Median ms per ingest of a corpus take not yet stored (each a new story); their keys."""
    times, keys = [], []
    for number in range(max(repeat, 3)):
        data = story_takes(90_000 + number, 1)[0] + f"\nBench run {secrets.token_hex(4)}.\n"
        started = time.perf_counter()
        (result,) = archive.ingest(data.encode(), source=f"bench-{number}.txt")
        times.append(time.perf_counter() - started)
        assert result.status == "added" and result.version == 1, result
        keys.append(result.story or "")
    return statistics.median(times) * 1000, keys


def remove_stories(engine: Engine, keys: list[str]) -> None:
    """Take the ingest timing's stories out of the cached archive again."""
    with engine.begin() as connection:
        for key in keys:
            story_id = connection.execute(
                text("SELECT id FROM story WHERE key = :k"), {"k": key}
            ).scalar()
            if connection.dialect.name == "sqlite":
                # contentless: a row goes with its text (a bench take is one piece)
                connection.execute(
                    text(
                        "INSERT INTO version_piece(version_piece, rowid, text)"
                        " SELECT 'delete', id, text FROM version WHERE story_id = :s"
                    ),
                    {"s": story_id},
                )
            connection.execute(text("DELETE FROM story WHERE id = :s"), {"s": story_id})


class Statements:
    """The SQL a call sends, to EXPLAIN it as sent."""

    def __init__(self, engine: Engine) -> None:
        self.seen: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        self.seen.append((statement, parameters))


def explain(engine: Engine, call: Callable[[], None], pick: Callable[[str], bool]) -> str:
    statements = Statements(engine)
    reads = Reader._rows  # reads go to the driver without SQLAlchemy: record them here

    def recorded(reader: Reader, query: str, parameters: Sequence[Any] = ()) -> list[Any]:
        statements.seen.append((reader._dialect.sql(query), tuple(parameters)))
        return reads(reader, query, parameters)

    writes = Driver.rows  # ingest's statements go to the driver too (the threading lookup)

    def recorded_write(driver: Driver, query: str, parameters: Sequence[Any] = ()) -> list[Any]:
        statements.seen.append((query, tuple(parameters)))
        return writes(driver, query, parameters)

    Reader._rows = recorded  # type: ignore[method-assign]
    Driver.rows = recorded_write  # type: ignore[method-assign]
    try:
        call()
    finally:
        Reader._rows = reads  # type: ignore[method-assign]
        Driver.rows = writes  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", statements._record)
    statement, parameters = next((s, p) for s, p in statements.seen if pick(s))
    prefix = (
        "EXPLAIN QUERY PLAN "
        if engine.dialect.name == "sqlite"
        else "EXPLAIN (ANALYZE, BUFFERS OFF) "
    )
    with engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(prefix + statement, parameters)
        rows = cursor.fetchall()
    if engine.dialect.name == "sqlite":
        return "\n".join(f"    {row[-1]}" for row in rows)
    return "\n".join(f"    {row[0]}" for row in rows)


def _engine(archive: Archive) -> Engine:
    return archive._store.engine()


PLANS: list[tuple[str, str, Callable[[str], bool]]] = [
    ("stories(limit=100), first page", "first_page", lambda s: "v.counts" in s),
    (
        "threading lookup (bands, same headline, candidates)",
        "thread_lookup",
        lambda s: "FROM band" in s,
    ),
    ("stories(match=title word)", "match_rare", lambda s: "v.counts" in s),
    ("versions(key)", "versions", lambda s: "FROM version" in s),
    ("search(a title word)", "search", lambda s: "version" in s),
]
GROUP = "threading and store at scale"


def _probe(run: Run, engine: str, small: Archive, big: Archive, size: int, largest: bool) -> None:
    """Each hot query on the big archive against the same query on the 1,000-version one."""
    repeat = max(run.scale.repeat, 5)
    small_probe = Probe(small, _engine(small), random.Random(3))
    big_probe = Probe(big, _engine(big), random.Random(3))
    for name, method in QUERIES:
        lookup = method == "thread_lookup"
        if not (lookup or largest):
            continue
        big_ms = best_ms(getattr(big_probe, method), repeat)
        memory = ""
        if lookup:
            memory = f"py {megabytes(python_peak(big_probe.thread_lookup))}"
        run.add(
            Figure(
                GROUP,
                f"{engine}, {size:,} versions: {name}",
                big_ms,
                "ms",
                f"{SMALL_VERSIONS:,} versions",
                best_ms(getattr(small_probe, method), repeat),
                [at_most(10, "< 10 ms a take")] if lookup else [],
                memory,
            )
        )
    if not largest:
        return
    small_ms, _ = time_ingest(small, repeat)
    big_ms, keys = time_ingest(big, repeat)
    run.add(
        Figure(
            GROUP,
            f"{engine}, {size:,} versions: ingest one take (new story)",
            big_ms,
            "ms",
            f"{SMALL_VERSIONS:,} versions",
            small_ms,
            note="Archive.ingest in process, a new ~30-sentence take",
        )
    )
    if engine == "SQLite":
        remove_stories(_engine(big), keys)
    plans = run.facts.setdefault("plans", {}).setdefault(f"{engine}, {size:,} versions", {})
    for name, method, pick in PLANS:
        plans[name] = explain(_engine(big), getattr(big_probe, method), pick)


def _seed_story(url: str) -> None:
    """The seed story, ingested for real: the TUI benchmark opens its diffs."""
    with Archive.open(url) as archive:
        for path in sorted((SAMPLES / "biden-ukraine-missiles").glob("*.txt")):
            archive.ingest(path.read_bytes(), source=str(path))


def measure(run: Run) -> None:
    """SQLite: each archive size of the scale against 1,000 versions."""
    small_url = f"sqlite:///{run.work / 'store-small.db'}"
    generate(small_url, SMALL_STORIES, SMALL_VERSIONS)
    with Archive.open(small_url) as small:
        for size in run.scale.archives:
            cache = CACHE if size >= 10_000 else run.work
            with Archive.open(sqlite_archive(size // 10, size, cache)) as big:
                _probe(run, "SQLite", small, big, size, size == run.scale.archives[-1])


def measure_postgres(run: Run) -> None:
    """PostgreSQL: the scale's largest archive against 1,000 versions, with its size."""
    if run.postgres is None:
        run.skipped.append("store at scale on PostgreSQL: no server")
        return
    size = run.scale.postgres_archive
    with postgres_database(run.postgres) as small_url, postgres_database(run.postgres) as big_url:
        generate(small_url, SMALL_STORIES, SMALL_VERSIONS)
        started = time.perf_counter()
        generate(big_url, size // 10, size)
        seconds = time.perf_counter() - started
        run.facts["postgres_archive"] = postgres_sizes(big_url, size) | {
            "bulk_load_seconds": seconds
        }
        with Archive.open(small_url) as small, Archive.open(big_url) as big:
            _probe(run, "PostgreSQL", small, big, size, largest=True)


def postgres_sizes(url: str, versions: int) -> dict[str, Any]:
    """The database's size and each table's, index's and TOAST table's (their names)."""
    database = postgres_query(url, "SELECT pg_database_size(current_database())")[0][0]
    relations = postgres_query(
        url,
        "SELECT coalesce(t.relname || ' (TOAST)', c.relname), pg_relation_size(c.oid)"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_class t ON t.reltoastrelid = c.oid"
        " WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't')"
        " AND (n.nspname = 'public' OR t.relnamespace = 'public'::regnamespace)"
        " ORDER BY 2 DESC",
    )
    return {
        "versions": versions,
        "database_bytes": database,
        "relation_bytes": {name: size for name, size in relations if size},
    }


def main() -> None:
    """`python -m bench.store`: this group of the harness alone, at its default scale."""
    from bench.__main__ import main as harness

    sys.exit(harness(["--only", "store", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
