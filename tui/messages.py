"""What screens and the archive watcher ask of the app: navigation and live updates.

Screens never import each other or the app; they post one of these and the app, which
knows every screen, opens the next one (posting's pattern).  This keeps the import graph
a tree: app → screens → widgets → text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from collections.abc import Mapping

    from versions.service import VersionRow
    from versions.significance import Significance


class OpenStory(Message):
    """Show one story's timeline, with version `select` highlighted (default: the latest).

    `news`: (the last version the editor saw, the latest) of a followed story with news;
    the diff between them opens over the timeline: what changed since they last looked."""

    def __init__(
        self,
        story_key: str,
        *,
        select: int | None = None,
        news: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.story_key = story_key
        self.select = select
        self.news = news


class OpenDesk(Message):
    """Show the desk: arrivals across every story, live."""


class OpenDiff(Message):
    """Compare two versions of a story; `old` None shows version `new` alone."""

    def __init__(self, story_key: str, old: int | None, new: int, *, search: str = "") -> None:
        super().__init__()
        self.story_key = story_key
        self.old = old
        self.new = new
        self.search = search


class OpenSearchHit(Message):
    """Open the story at the version where searched words first appeared, words found."""

    def __init__(self, story_key: str, version: int, words: str) -> None:
        super().__init__()
        self.story_key = story_key
        self.version = version
        self.words = words


class OpenVersionText(Message):
    """Read one version's full text as filed: parsed, or the bytes as received; with
    `provenance`, each sentence beside the take that brought it in."""

    def __init__(self, story_key: str, number: int, *, provenance: bool = False) -> None:
        super().__init__()
        self.story_key = story_key
        self.number = number
        self.provenance = provenance


class OpenSentenceHistory(Message):
    """Every take that did something to sentence `index` of version `number`."""

    def __init__(self, story_key: str, number: int, index: int) -> None:
        super().__init__()
        self.story_key = story_key
        self.number = number
        self.index = index


class OpenGrid(Message):
    """Show a story take by take: the takes × paragraphs grid."""

    def __init__(self, story_key: str) -> None:
        super().__init__()
        self.story_key = story_key


class OpenSearch(Message):
    """Search the whole archive."""


class VersionsArrived(Message):
    """Another process stored these versions (oldest first); the watcher tells the app.

    A burst of ingests arrives as one message: a pending one is folded into the next
    (toolong's `can_replace`), so the screens reload once and every version is still told.
    """

    def __init__(
        self,
        versions: list[VersionRow],
        followed: frozenset[str] = frozenset(),
        significance: Mapping[int, Significance] | None = None,
    ) -> None:
        super().__init__()
        self.versions = versions
        self.followed = followed  # the keys of the stories the editor follows, read with them
        self.significance = dict(significance or {})  # by version id, scored in the watcher

    def can_replace(self, message: Message) -> bool:
        # Textual asks the message it took from the queue whether the next one may stand
        # in for it; that one then carries both messages' versions.
        if isinstance(message, VersionsArrived):
            message.versions = [*self.versions, *message.versions]
            message.significance = self.significance | message.significance
            return True
        return False


class ArchiveChanged(Message, bubble=False):
    """The app tells each open screen that these versions arrived; each reloads what it shows."""

    def __init__(self, versions: list[VersionRow]) -> None:
        super().__init__()
        self.versions = versions
        self.story_keys = {row.story_key for row in versions}
