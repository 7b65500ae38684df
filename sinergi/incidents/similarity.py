"""Text similarity for duplicate suggestions: pure, no ORM.

Reports come from tired people on phones, so the measure is forgiving: lower case, digits and
letters only, Indonesian filler words dropped, then the Jaccard overlap of word sets blended with
character trigrams (which survive typos and affixes such as "membagikan"/"bagi").
"""

import re

STOPWORDS = frozenset(
    [
        "di",
        "ke",
        "dari",
        "yang",
        "dan",
        "atau",
        "ada",
        "itu",
        "ini",
        "dengan",
        "untuk",
        "pada",
        "oleh",
        "sudah",
        "telah",
        "akan",
        "para",
        "kami",
        "kita",
        "saya",
        "nya",
        "the",
        "tps",
        "desa",
        "warga",
        "sedang",
        "jam",
        "pukul",
        "tadi",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1}


def trigrams(text: str) -> set[str]:
    joined = " ".join(sorted(words(text)))
    return {joined[i : i + 3] for i in range(max(0, len(joined) - 2))}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    """0..1; 0.35 and above reads as 'probably the same event' in practice."""
    by_words = jaccard(words(a), words(b))
    grams_a, grams_b = trigrams(a), trigrams(b)
    if not grams_a and not grams_b:  # one two-letter word each: no trigram to compare, the words decide
        return round(by_words, 3)
    return round(0.5 * by_words + 0.5 * jaccard(grams_a, grams_b), 3)


def rank(text: str, candidates: list[tuple[int, str]], threshold: float = 0.2) -> list[tuple[int, float]]:
    """(id, score) of the candidates similar enough to `text`, best first."""
    scored = [(key, similarity(text, other)) for key, other in candidates]
    return sorted((s for s in scored if s[1] >= threshold), key=lambda s: (-s[1], s[0]))
