"""HTML bodies (ninjs body_html, NewsML-G2 XHTML, feed content) → paragraph texts.

Markup is only read for its block structure; the text inside is data. Nothing is
fetched and nothing is executed: the stdlib tokenizer just reports tags and text.
"""

from __future__ import annotations

from html.parser import HTMLParser

from versions.model import ParagraphKind

BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "table", "tr", "td", "th", "section", "article", "header",
        "footer", "figure", "figcaption", "body", "dd", "dt",
    }
)  # fmt: skip
SUBHEAD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template"})


def local_name(tag: str) -> str:
    """`html:p`, `{http://www.w3.org/1999/xhtml}p` and `P` all name a `p`."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


class _BlockCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[ParagraphKind, str]] = []
        self._text: list[str] = []
        self._kind = ParagraphKind.TEXT
        self._skipping = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append((self._kind, text))
        self._text = []
        self._kind = ParagraphKind.TEXT

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = local_name(tag)
        if name in SKIPPED_TAGS:
            self._skipping += 1
        elif name in BLOCK_TAGS:
            self._flush()
            if name in SUBHEAD_TAGS:
                self._kind = ParagraphKind.SUBHEAD
        elif name == "br":
            self._text.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if local_name(tag) == "br":
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        name = local_name(tag)
        if name in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif name in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(markup: str) -> list[tuple[ParagraphKind, str]]:
    """Block elements in reading order, whitespace collapsed; `<h1>`…`<h6>` are subheads.

    Text outside any block element (a feed summary without `<p>`) is one paragraph
    per run of text between blocks.
    """
    collector = _BlockCollector()
    collector.feed(markup)
    collector.close()
    return collector.blocks
