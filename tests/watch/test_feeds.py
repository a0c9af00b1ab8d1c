"""Feeds over HTTP from a server the test starts on 127.0.0.1: never the internet."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.watch.watch_stories import Recorder, ninjs_item
from versions.service import Archive
from versions.watch.feeds import (
    DAY,
    HOUR,
    MINUTE,
    FeedWatcher,
    recheck_interval,
)
from versions.watch.notice import Reporter

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test wire</title><link>http://127.0.0.1/</link>
<description>test</description>
{items}
</channel></rss>"""
ITEM = """<item><guid>urn:test:{guid}</guid><title>{title}</title>
<pubDate>Thu, 21 Nov 2024 {hour:02d}:00:00 GMT</pubDate>
<description>{body}</description></item>"""

Response = tuple[int, dict[str, str], bytes]


@dataclass
class Server:
    """Routes path → handler; every request's headers are kept."""

    routes: dict[str, Callable[[dict[str, str]], Response]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = dict(self.headers.items())
            state.requests.append((self.path, headers))
            route = state.routes.get(self.path)
            status, extra, body = route(headers) if route else (404, {}, b"not here")
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def rss(*items: tuple[str, str, str]) -> bytes:
    body = "\n".join(
        ITEM.format(guid=guid, title=title, body=text, hour=8 + n)
        for n, (guid, title, text) in enumerate(items)
    )
    return RSS.format(items=body).encode()


STORY_A = ("a", "Dam breach floods valley towns", "Water from the Kessel dam flooded three towns.")
STORY_B = ("b", "Port workers vote to strike", "Dockers at Halden voted to strike from Monday.")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def feed_watcher(
    archive: Archive, urls: list[str], recorder: Recorder, clock: Clock | None = None
) -> FeedWatcher:
    log = recorder.log
    if clock is None:
        return FeedWatcher(archive, urls, log, Reporter(log), interval=60)
    return FeedWatcher(archive, urls, log, Reporter(log), interval=60, clock=clock)


def test_etag_and_last_modified_are_sent_back_and_304_ingests_nothing(
    archive: Archive, server: Server, recorder: Recorder
) -> None:
    body = rss(STORY_A, STORY_B)
    validators = {"ETag": '"v1"', "Last-Modified": "Thu, 21 Nov 2024 10:00:00 GMT"}

    def feed(headers: dict[str, str]) -> Response:
        if headers.get("If-None-Match") == '"v1"':
            return 304, validators, b""
        return 200, validators | {"Content-Type": "application/rss+xml"}, body

    server.routes["/rss"] = feed
    watcher = feed_watcher(archive, [server.url("/rss")], recorder)
    watcher.check(watcher.feeds[0])
    watcher.check(watcher.feeds[0])

    first, second = server.hits("/rss")
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Thu, 21 Nov 2024 10:00:00 GMT"
    assert [e["status"] for e in recorder.events("feed_checked")] == [200, 304]
    assert len(recorder.events("ingested")) == 2
    assert archive.story_count() == 2


def test_an_updated_item_becomes_a_new_version(
    archive: Archive, server: Server, recorder: Recorder
) -> None:
    bodies = [rss(STORY_A), rss((*STORY_A[:2], STORY_A[2] + " Two people are missing."))]
    server.routes["/rss"] = lambda headers: (200, {}, bodies[0])
    watcher = feed_watcher(archive, [server.url("/rss")], recorder)
    watcher.check(watcher.feeds[0])
    watcher.check(watcher.feeds[0])
    assert [e["event"] for e in recorder.events() if e["event"] != "feed_checked"] == [
        "ingested",
        "unchanged",
    ]
    server.routes["/rss"] = lambda headers: (200, {}, bodies[1])
    watcher.check(watcher.feeds[0])
    [story] = archive.stories()
    assert story.versions == 2
    assert recorder.events("ingested")[-1]["counts"]["added"] == 1


def test_a_failing_feed_backs_off_and_the_others_carry_on(
    archive: Archive, server: Server, recorder: Recorder
) -> None:
    server.routes["/down"] = lambda headers: (500, {}, b"oops")
    server.routes["/up"] = lambda headers: (200, {}, rss(STORY_B))
    clock = Clock()
    watcher = feed_watcher(archive, [server.url("/down"), server.url("/up")], recorder, clock)
    down, up = watcher.feeds
    delays = []
    for _ in range(8):
        watcher.check(down)
        delays.append(down.due - clock.now)
    watcher.check(up)

    assert delays == [120, 240, 480, 960, 1920, 3600, 3600, 3600], "doubling, capped at 1 h"
    errors = recorder.events("feed_error")
    assert errors[0]["reason"] == "HTTP 500 Internal Server Error"
    assert errors[0]["url"] == server.url("/down")
    assert archive.story_count() == 1
    server.routes["/down"] = lambda headers: (200, {}, rss(STORY_A))
    watcher.check(down)
    assert down.failures == 0
    assert down.due - clock.now == 60, "back on schedule after a success"


def test_the_running_watcher_survives_a_dead_feed(
    archive: Archive, server: Server, recorder: Recorder
) -> None:
    server.routes["/up"] = lambda headers: (200, {}, rss(STORY_B))
    dead = "http://127.0.0.1:9/feed"  # the discard port: nothing listens
    watcher = FeedWatcher(
        archive,
        [dead, server.url("/up")],
        recorder.log,
        Reporter(recorder.log),
        interval=1,
    )
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        stop.wait(2.5)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert recorder.events("feed_error")[0]["url"] == dead
    assert "cannot reach the feed" in recorder.events("feed_error")[0]["reason"]
    assert len(server.hits("/up")) >= 2, "the good feed is still checked on schedule"
    assert archive.story_count() == 1


def test_retry_after_is_honoured(archive: Archive, server: Server, recorder: Recorder) -> None:
    server.routes["/busy"] = lambda headers: (503, {"Retry-After": "900"}, b"")
    clock = Clock()
    watcher = feed_watcher(archive, [server.url("/busy")], recorder, clock)
    watcher.check(watcher.feeds[0])
    assert watcher.feeds[0].due - clock.now == 900


def test_a_body_that_is_not_a_feed_is_an_error(
    archive: Archive, server: Server, recorder: Recorder
) -> None:
    server.routes["/html"] = lambda headers: (200, {}, b"<html><body>login</body></html>")
    watcher = feed_watcher(archive, [server.url("/html")], recorder)
    watcher.check(watcher.feeds[0])
    assert "not a readable feed" in recorder.events("feed_error")[0]["reason"]
    assert watcher.feeds[0].failures == 1


def test_ninjs_over_http(archive: Archive, server: Server, recorder: Recorder) -> None:
    server.routes["/ninjs"] = lambda headers: (
        200,
        {"Content-Type": "application/json"},
        ninjs_item("quake", 1, "A strong quake shook the coast on Monday."),
    )
    watcher = feed_watcher(archive, [server.url("/ninjs")], recorder)
    watcher.check(watcher.feeds[0])
    [event] = recorder.events("ingested")
    assert event["source"] == server.url("/ninjs")
    assert event["title"] == "Headline of quake"


@pytest.mark.parametrize(
    ("age", "newsdiffs"),
    [
        (0, 15 * MINUTE),
        (2 * HOUR, 15 * MINUTE),
        (3 * HOUR, HOUR),
        (12 * HOUR, HOUR),
        (2 * DAY, 3 * HOUR),
        (30 * DAY, 3 * HOUR),
    ],
)
def test_schedule_is_at_least_as_frequent_as_newsdiffs(age: float, newsdiffs: float) -> None:
    assert recheck_interval(age, floor=60) <= newsdiffs


def test_schedule_slows_as_the_feed_goes_quiet(
    archive: Archive, server: Server, recorder: Recorder
) -> None:
    server.routes["/rss"] = lambda headers: (200, {"ETag": '"same"'}, rss(STORY_A))
    clock = Clock()
    watcher = feed_watcher(archive, [server.url("/rss")], recorder, clock)
    feed = watcher.feeds[0]
    next_checks = []
    for elapsed in (0, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 2 * DAY, 10 * DAY):
        clock.now = 1000.0 + elapsed
        watcher.check(feed)
        next_checks.append(feed.due - clock.now)
    assert next_checks == [60, 60, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR]
    assert [e["next_check_s"] for e in recorder.events("feed_checked")] == next_checks


def test_only_http_feeds(archive: Archive, recorder: Recorder, tmp_path: Path) -> None:
    from versions.errors import WirediffError

    with pytest.raises(WirediffError, match="http:// or https://"):
        feed_watcher(archive, [f"file://{tmp_path}/feed.xml"], recorder)
