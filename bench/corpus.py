"""The seeded synthetic wire corpus the ingest figures run on.

Untagged plain wire text, as a desk's hot folder receives it: `stories` stories of
`takes` takes each, ~30 sentences a take. Every take of a story keeps most of the
one before and edits it the way updates do (a paragraph added at the top, a figure
raised, an attribution sharpened, a sentence dropped), so threading has to find
the story by content. Each story draws its words from its own syllables, so two
stories share no phrases and the right threading is known.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
CITIES = ["OSLO", "LIMA", "NAIROBI", "MANILA", "QUITO", "RIGA", "DAKAR", "HANOI"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(_word(rng) for _ in range(words)).capitalize() + (
        f", {rng.choice(['officials', 'police', 'the ministry', 'a source'])} said."
        if rng.random() < 0.3
        else f" {rng.randint(2, 900)} people."
        if rng.random() < 0.2
        else "."
    )


def story_takes(story: int, takes: int, sentences: int = 30) -> list[str]:
    """The takes of made-up story `story`, oldest first, as wire text."""
    rng = random.Random(story)
    headline = " ".join(_word(rng) for _ in range(rng.randint(6, 9))).capitalize()
    city = CITIES[story % len(CITIES)]
    # paragraphs of 1-3 sentences; the first opens with the dateline
    body: list[list[str]] = []
    count = 0
    while count < sentences - 3:
        paragraph = [_sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(1, 3))]
        body.append(paragraph)
        count += len(paragraph)
    result = []
    for take in range(takes):
        if take:
            edit = random.Random(story * 10_000 + take)
            body.insert(1, [_sentence(edit, edit.randint(12, 20)) for _ in range(2)])
            for _ in range(2):  # word edits: a figure, an attribution
                paragraph = edit.choice(body)
                at = edit.randrange(len(paragraph))
                paragraph[at] = (
                    paragraph[at]
                    .replace("a source", "a senior official")
                    .replace(" people.", f" {edit.randint(2, 900)} people.")
                )
                paragraph[at] = (
                    _word(edit).capitalize() + " " + paragraph[at][0].lower() + (paragraph[at][1:])
                )
            while sum(len(p) for p in body) > sentences - 2:  # keep the take near its size
                paragraph = body[edit.randrange(2, len(body))]
                paragraph.pop(edit.randrange(len(paragraph)))
                body = [p for p in body if p]
        label = f"UPDATE {take}-" if take else ""
        paragraphs = [
            f"{label}{headline}",
            f"By Reporter {story}",
            f"{city}, March 3 (Reuters) - " + " ".join(body[0]),
            *(" ".join(p) for p in body[1:]),
            f"(Reporting by Reporter {story}; Editing by Desk {story % 3})",
        ]
        result.append("\n\n".join(textwrap.fill(p, 68) for p in paragraphs) + "\n")
    return result


def write_corpus(folder: Path, stories: int, takes: int, sentences: int = 30) -> list[Path]:
    """Every take of every story, one file each, named so a directory ingest reads them
    take-major (stories interleaved, each story's takes in order), as they reach a desk."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for story in range(stories):
        for take, text in enumerate(story_takes(story, takes, sentences)):
            path = folder / f"t{take:03d}-s{story:04d}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return sorted(paths)


def long_take(megabytes: float, seed: int = 9) -> str:
    """One wire take of about `megabytes` MB: a headline and many paragraphs."""
    rng = random.Random(seed)
    paragraphs = ["Long report on everything that happened", "OSLO, March 3 (Reuters) - Start."]
    size = 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(_sentence(rng, rng.randint(10, 22)) for _ in range(3))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"
