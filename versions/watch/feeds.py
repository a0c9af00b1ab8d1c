"""Feeds: RSS/Atom and ninjs JSON over HTTP, rechecked on a schedule that follows the news.

Recheck schedule. One request rechecks every story in a feed, so a feed is
checked as often as its youngest story needs: the age that counts is the time
since the feed last brought a new version (or since the watcher started).

    age of the youngest story   recheck every        NewsDiffs, for comparison
    under 1 hour                --interval (60 s)    15 min
    1 to 3 hours                5 min                15 min
    3 to 24 hours               15 min               1 hour
    1 to 7 days                 1 hour               3 hours
    older                       3 hours              3 hours and slower

Every tier is at least as frequent as NewsDiffs' and never faster than
`--interval`. Requests are conditional (If-None-Match / If-Modified-Since from
the last good response), so an unchanged feed costs a 304 and no parsing.

A feed that fails (network error, timeout, HTTP error, a body that is not a
feed, the archive refusing it) backs off exponentially, per feed: 2, 4, 8…
times `--interval`, at most an hour, never sooner than its schedule and never
sooner than a Retry-After says. The other feeds and the hot folders carry on.
"""

from __future__ import annotations

import gzip
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from versions.errors import WirediffError
from versions.service import Archive, IngestResult
from versions.watch.events import EventLog

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
DEFAULT_INTERVAL_S = 60.0
SCHEDULE: tuple[tuple[float, float], ...] = (
    (HOUR, 0.0),  # 0: the --interval floor itself
    (3 * HOUR, 5 * MINUTE),
    (DAY, 15 * MINUTE),
    (7 * DAY, HOUR),
)
OLD_STORY_INTERVAL_S = 3 * HOUR
BACKOFF_MAX_S = HOUR
RETRY_AFTER_MAX_S = DAY
TIMEOUT_S = 20.0
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "wirediff-watch/0.1"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


def recheck_interval(age: float, floor: float = DEFAULT_INTERVAL_S) -> float:
    """Seconds until the next check of a feed whose youngest story is `age` seconds old."""
    for limit, interval in SCHEDULE:
        if age < limit:
            return max(floor, interval)
    return max(floor, OLD_STORY_INTERVAL_S)


def check_url(url: str) -> str:
    if urlsplit(url).scheme not in ("http", "https"):
        raise WirediffError(f"{url}: a feed must be an http:// or https:// URL")
    return url


@dataclass
class Feed:
    url: str
    last_news: float  # clock time of the last new version (or of the start)
    due: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0


class FeedError(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None


class FeedWatcher:
    """Checks each feed when it is due, until `stop` is set; one thread for all feeds."""

    def __init__(
        self,
        archive: Archive,
        urls: Iterable[str],
        log: EventLog,
        report: Callable[[IngestResult], None],
        *,
        interval: float = DEFAULT_INTERVAL_S,
        timeout: float = TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.archive = archive
        self.interval = interval
        self._log = log
        self._report = report
        self._timeout = timeout
        self._clock = clock
        now = clock()
        self.feeds = [Feed(check_url(url), last_news=now, due=now) for url in urls]

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set() and self.feeds:
            feed = min(self.feeds, key=lambda f: f.due)
            wait = feed.due - self._clock()
            if wait > 0:
                stop.wait(wait)
                continue
            self.check(feed)

    def check(self, feed: Feed) -> None:
        """One conditional request, its items ingested and reported, the next check scheduled."""
        now = self._clock()
        try:
            response = self._fetch(feed)
            added = 0
            if response.status != 304:
                added = self._ingest(feed, response)
                feed.etag, feed.last_modified = response.etag, response.last_modified
        except FeedError as exc:
            self._failed(feed, now, str(exc), exc.retry_after)
            return
        if added:
            feed.last_news = now
        feed.failures = 0
        delay = recheck_interval(now - feed.last_news, self.interval)
        feed.due = now + delay
        self._log.emit(
            "feed_checked",
            url=feed.url,
            status=response.status,
            added=added,
            next_check_s=round(delay, 1),
        )

    def _ingest(self, feed: Feed, response: _Response) -> int:
        try:
            results = self.archive.ingest(response.body, source=feed.url)
        except Exception as exc:  # the archive, not the feed: retry like any failure
            raise FeedError(f"ingest failed: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
        for result in results:
            self._report(result)
        if all(result.status == "rejected" for result in results):
            raise FeedError(f"not a readable feed: {results[0].reason}")
        return sum(result.status == "added" for result in results)

    def _failed(self, feed: Feed, now: float, reason: str, retry_after: float | None) -> None:
        feed.failures += 1
        backoff = min(self.interval * 2**feed.failures, BACKOFF_MAX_S)
        delay = max(backoff, recheck_interval(now - feed.last_news, self.interval))
        if retry_after is not None:
            delay = max(delay, min(retry_after, RETRY_AFTER_MAX_S))
        feed.due = now + delay
        self._log.emit(
            "feed_error",
            url=feed.url,
            reason=reason,
            failures=feed.failures,
            retry_in_s=round(delay, 1),
        )

    def _fetch(self, feed: Feed) -> _Response:
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        request = urllib.request.Request(feed.url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                body = response.read(MAX_BYTES + 1)
                status = int(response.status)
                etag = response.headers.get("ETag")
                last_modified = response.headers.get("Last-Modified")
                encoding = response.headers.get("Content-Encoding", "")
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return _Response(304, b"", feed.etag, feed.last_modified)
            raise FeedError(
                f"HTTP {exc.code} {exc.reason}", _retry_after(exc.headers.get("Retry-After"))
            ) from None
        except urllib.error.URLError as exc:
            raise FeedError(f"cannot reach the feed: {exc.reason}") from None
        except (OSError, ValueError) as exc:  # timeouts, resets, bad URLs
            raise FeedError(f"cannot read the feed: {exc or type(exc).__name__}") from None
        if len(body) > MAX_BYTES:
            raise FeedError(f"feed larger than {MAX_BYTES // (1024 * 1024)} MB")
        if encoding.lower() == "gzip":
            try:
                body = gzip.decompress(body)
            except (OSError, EOFError) as exc:
                raise FeedError(f"bad gzip body: {exc}") from None
        return _Response(status, body, etag, last_modified)


def _retry_after(value: str | None) -> float | None:
    """Seconds, from either form HTTP allows: a number or a date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)
