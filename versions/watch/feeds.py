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

No feed can hold up another: feeds are fetched concurrently, each on its own
daemon thread (at most `MAX_CONCURRENT` at once, one per feed), and every fetch
has an overall deadline (`--feed-timeout`, 20 s), not only a socket timeout — a
server that answers one byte a second never trips a socket timeout. At the
deadline, or when the watcher stops, the fetch's sockets are shut down from the
coordinating thread, which wakes the blocked read at once.
"""

from __future__ import annotations

import contextlib
import http.client
import queue
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from versions.errors import WirediffError
from versions.intake import too_large
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
MAX_CONCURRENT = 8
WAKE_S = 0.1  # how soon a stop request is noticed
STOP_GRACE_S = 1.0  # at stop: how long the checks in hand may take to finish their ingest
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


class Cancel:
    """Shuts down one fetch's sockets from another thread: the one way to stop a blocked read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.reason: str | None = None
        self.cancelled = False

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.cancelled:
                _shut(sock)

    def cancel(self, reason: str | None = None) -> None:
        """`reason` is what the feed is told; None: the watcher is stopping."""
        with self._lock:
            if self.cancelled:
                return
            self.cancelled, self.reason = True, reason
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing to wake
        sock.shutdown(socket.SHUT_RDWR)


class _CancellableHTTP(http.client.HTTPConnection):
    cancel: Cancel

    def connect(self) -> None:
        super().connect()
        self.cancel.add(self.sock)


class _CancellableHTTPS(http.client.HTTPSConnection):
    cancel: Cancel

    def connect(self) -> None:
        super().connect()
        self.cancel.add(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, cancel: Cancel) -> None:
        super().__init__()
        self._cancel = cancel

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = _CancellableHTTP(host, **kwargs)
        connection.cancel = self._cancel
        return connection


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, cancel: Cancel) -> None:
        super().__init__()
        self._cancel = cancel

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = _CancellableHTTPS(host, **kwargs)
        connection.cancel = self._cancel
        return connection


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


@dataclass
class _InFlight:
    thread: threading.Thread
    cancel: Cancel
    deadline: float


class FeedWatcher:
    """Checks each feed when it is due, until `stop` is set; feeds are fetched concurrently."""

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
        """Starts each due check on its own thread and cancels those past their deadline; at
        stop, cancels the fetches in flight and gives ingests in hand `STOP_GRACE_S`."""
        ended: queue.SimpleQueue[int] = queue.SimpleQueue()
        in_flight: dict[int, _InFlight] = {}
        try:
            while not stop.is_set() and self.feeds:
                now = self._clock()
                for check in in_flight.values():
                    if now >= check.deadline:
                        check.cancel.cancel(f"no complete answer within {self._timeout:g} s")
                idle = sorted(
                    (i for i in range(len(self.feeds)) if i not in in_flight),
                    key=lambda i: self.feeds[i].due,
                )
                for index in idle[: MAX_CONCURRENT - len(in_flight)]:
                    if self.feeds[index].due <= now:
                        in_flight[index] = self._start(index, ended, now)
                wake = [check.deadline for check in in_flight.values()]
                wake += [self.feeds[i].due for i in idle if i not in in_flight]
                wait = min(wake) - self._clock() if wake else WAKE_S
                try:
                    index = ended.get(timeout=min(max(wait, 0.0), WAKE_S))
                except queue.Empty:
                    continue
                in_flight.pop(index).thread.join()
        finally:
            for check in in_flight.values():
                check.cancel.cancel()
            grace = time.monotonic() + STOP_GRACE_S
            for check in in_flight.values():
                check.thread.join(max(grace - time.monotonic(), 0.0))

    def _start(self, index: int, ended: queue.SimpleQueue[int], now: float) -> _InFlight:
        cancel = Cancel()

        def check() -> None:
            try:
                self.check(self.feeds[index], cancel)
            finally:
                ended.put(index)

        thread = threading.Thread(target=check, name=f"wirediff-feed-{index}", daemon=True)
        thread.start()
        return _InFlight(thread, cancel, now + self._timeout)

    def check(self, feed: Feed, cancel: Cancel | None = None) -> None:
        """One conditional request, its items ingested and reported, the next check scheduled."""
        now = self._clock()
        cancel = cancel or Cancel()
        try:
            response = self._fetch(feed, cancel)
            added = 0
            if response.status != 304:
                added = self._ingest(feed, response)
                feed.etag, feed.last_modified = response.etag, response.last_modified
        except FeedError as exc:
            if cancel.cancelled and cancel.reason is None:
                return  # the watcher is stopping: no verdict on the feed
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

    def _fetch(self, feed: Feed, cancel: Cancel) -> _Response:
        try:
            return self._request(feed, cancel)
        except FeedError as exc:
            if cancel.cancelled:
                raise FeedError(cancel.reason or "stopped") from exc
            raise

    def _request(self, feed: Feed, cancel: Cancel) -> _Response:
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        request = urllib.request.Request(feed.url, headers=headers)
        opener = urllib.request.build_opener(_HTTPHandler(cancel), _HTTPSHandler(cancel))
        limit = self.archive.max_take_size
        try:
            with opener.open(request, timeout=self._timeout) as response:
                body = response.read(limit + 1)
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
        except (OSError, ValueError, http.client.HTTPException) as exc:  # timeouts, resets…
            raise FeedError(f"cannot read the feed: {exc or type(exc).__name__}") from None
        if encoding.lower() == "gzip":
            try:  # bounded: a small gzip body can inflate to gigabytes
                inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                body = inflate.decompress(body, limit + 1)
            except zlib.error as exc:
                raise FeedError(f"bad gzip body: {exc}") from None
        if len(body) > limit:
            raise FeedError(f"feed {too_large(limit)}")
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
