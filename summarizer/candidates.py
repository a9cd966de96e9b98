"""Deterministic candidates: sentences, quoted spans and number mentions, with offsets.

Nothing here calls a model. The model later labels these candidates by id; it never copies text,
so it cannot invent a quote or a number.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import lru_cache

import pysbd

from summarizer.articles import is_included
from summarizer.budget import check_deadline
from summarizer.models import Article, Candidates, NumberCandidate, QuoteCandidate, Sentence

# --------------------------------------------------------------------------- sentences


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def find_sentences(article: Article) -> list[Sentence]:
    """Sentences of ``article`` (memoised on id, text and excluded ranges: extraction and the
    entity profiles both need them)."""
    return list(_sentences(article.id, article.text, tuple(map(tuple, article.excluded))))


@lru_cache(maxsize=2048)
def _sentences(article_id: str, text: str, excluded: tuple) -> tuple[Sentence, ...]:
    return tuple(_find_sentences(Article(id=article_id, text=text, excluded=list(excluded))))


def _find_sentences(article: Article) -> list[Sentence]:
    """Sentences with offsets, one paragraph (line) at a time, boilerplate left out.

    pysbd does the segmentation inside a line; its pieces are located back in the text with a
    moving cursor, so offsets are exact whatever pysbd does to whitespace.
    """
    text = article.text
    out: list[Sentence] = []
    for line in _lines(text):
        check_deadline()
        line_start, line_end = line
        body = text[line_start:line_end]
        pieces = _segmenter().segment(body) if body.strip() else []
        cursor = line_start
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            start = text.find(piece, cursor, line_end)
            if start < 0:  # pysbd altered the piece; fall back to the rest of the line
                start, end = cursor, line_end
            else:
                end = start + len(piece)
            cursor = end
            for s, e in _trim_excluded(article, start, end):
                seg = text[s:e]
                lead = len(seg) - len(seg.lstrip())
                s, e = s + lead, s + len(seg.rstrip())
                if e > s and re.search(r"\w", text[s:e]):
                    out.append(Sentence(id=f"S{len(out) + 1}", start=s, end=e))
    return out


# pysbd's cost grows with the square of a line's length (each abbreviation rewrites the whole
# line), so a line longer than this is cut before segmentation: at the last sentence end
# between half and all of it, else at a space. Real paragraphs are far shorter (the longest in
# PolNeAR's 924 articles is 2,573 characters), so real text is never cut.
MAX_LINE = 4000
_CUT = re.compile(r"(?<=[a-z0-9)][.!?])[”\"’']?\s+(?=[“\"A-Z])")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line, long lines cut into pieces of at most ``MAX_LINE``."""
    for m in re.finditer(r"[^\n]+", text):
        start, end = m.start(), m.end()
        while end - start > MAX_LINE:
            limit = start + MAX_LINE
            cut = None
            for c in _CUT.finditer(text, start + MAX_LINE // 2, limit):
                cut = c.end()
            if cut is None:
                space = text.rfind(" ", start + MAX_LINE // 2, limit)
                cut = space + 1 if space > 0 else limit
            yield start, cut
            start = cut
        yield start, end


def _trim_excluded(article: Article, start: int, end: int) -> list[tuple[int, int]]:
    """Parts of ``[start, end)`` outside boilerplate (``excluded`` is sorted and disjoint:
    only the ranges that can overlap are visited)."""
    parts = [(start, end)]
    ranges = article.excluded
    first = max(0, bisect.bisect_right(ranges, (start, float("inf"))) - 1)
    last = bisect.bisect_left(ranges, (end, -1))
    for a, b in ranges[first:last]:
        nxt = []
        for s, e in parts:
            if e <= a or s >= b:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a))
            if e > b:
                nxt.append((b, e))
        parts = nxt
    return parts


# --------------------------------------------------------------------------- quotes

_OPEN_CLOSE = {"“": "”", "‘": "’", '"': '"', "'": "'", "«": "»", "„": "“"}
_ATTRIBUTION_GAP = re.compile(
    r"^[\s,.;:—–-]*(?:(?:he|she|they|it|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+)?"
    r"(?:said|says|added|adds|told|tells|wrote|writes|continued|asked|stated|explained|noted)"
    r"(?:[\s,]+[\w'’-]+){0,8}[\s,.;:—–-]*$"
)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _opening_ok(text: str, i: int, mark: str) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if mark in "'’‘":
        # An apostrophe sits between letters (Syria’s) or after a letter (Sunnis'); an opening
        # single quote follows a space or punctuation and precedes a letter.
        return not _is_word_char(before) and _is_word_char(after)
    return not after.isspace() or mark in "“«„"


def _closing_ok(text: str, j: int, mark: str) -> bool:
    after = text[j + 1] if j + 1 < len(text) else " "
    before = text[j - 1] if j > 0 else " "
    if mark in "'’":
        return not _is_word_char(after) and not before.isspace()
    return True


def _find_quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inner ``[start, end)`` of quoted spans in one paragraph; an unclosed quote runs to its end."""
    spans: list[tuple[int, int]] = []
    # whether a closing mark matches depends only on its own position, so once a scan for one
    # found none up to the end, later scans for that mark are skipped (linear, not quadratic,
    # in a line full of unclosed apostrophes)
    unclosed: dict[str, int] = {}
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPEN_CLOSE and _opening_ok(text, i, ch):
            close = _OPEN_CLOSE[ch]
            if close in unclosed and unclosed[close] <= i:
                j = end
            else:
                j = i + 1
                while j < end and not (text[j] == close and _closing_ok(text, j, close)):
                    j += 1
                if j >= end:
                    unclosed[close] = i
            if j >= end and ch == "“":
                # web text mixes typography ("“trapped in the past." Rubio said): with no
                # curly close in the paragraph, a straight one closes the quote
                k = text.find('"', i + 1, end)
                j = k if k >= 0 else end
            if j >= end and ch in "'‘":
                i += 1  # an unclosed single mark is far more often an apostrophe
                continue
            spans.append((i + 1, min(j, end)))
            i = j + 1
            continue
        i += 1
    return spans


def _trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and a trailing comma/full stop that belong to the sentence, not the quote."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",."):
        end -= 1
    return start, end


def find_quotes(article: Article, sentences: list[Sentence]) -> list[QuoteCandidate]:
    text = article.text
    out: list[QuoteCandidate] = []
    starts = [s.start for s in sentences]
    for para in re.finditer(r"[^\n]+", text):
        check_deadline()
        for s, e in _find_quote_spans(text, para.start(), para.end()):
            check_deadline()
            s, e = _trim_quote(text, s, e)
            if e <= s or not re.search(r"\w", text[s:e]) or not is_included(article, s, e):
                continue
            sentence = _sentence_at(sentences, s, starts)
            if sentence is None:
                continue
            continues = None
            if out and out[-1].end < s:
                gap = text[out[-1].end : s]
                if "\n" not in gap and len(gap) < 80 and _ATTRIBUTION_GAP.match(
                    re.sub(r"[“”\"‘’]", "", gap)
                ):
                    continues = out[-1].continues or out[-1].id
            out.append(
                QuoteCandidate(
                    id=f"Q{len(out) + 1}", start=s, end=e, sentence_id=sentence.id,
                    continues=continues,
                )
            )
    return out


def _sentence_at(sentences: list[Sentence], pos: int,
                 starts: list[int] | None = None) -> Sentence | None:
    """The sentence holding ``pos`` (sentences are sorted and disjoint: a binary search)."""
    starts = [s.start for s in sentences] if starts is None else starts
    for p in (pos, pos + 1):  # a quote may start just before its sentence's first character
        i = bisect.bisect_right(starts, p) - 1
        if i >= 0 and sentences[i].start <= p < sentences[i].end:
            return sentences[i]
    return None


# --------------------------------------------------------------------------- numbers

UNITS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen"
)
TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
SCALES = "hundred|thousand|million|billion|trillion"
VAGUE = "dozens|scores|hundreds|thousands|millions|billions|tens\\s+of\\s+thousands"
_WORD_NUMBER = (
    rf"(?:(?:{TENS})(?:[-\s](?:{UNITS}))?|(?:{UNITS}))"
    rf"(?:\s+(?:{SCALES}))?(?:\s+(?:and\s+)?(?:(?:{TENS})(?:[-\s](?:{UNITS}))?|(?:{UNITS})))?"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = (
    rf"(?P<num>[$€£]\s?(?:{_DIGITS})(?:\s*(?:{SCALES}|bn|m)\b)?"
    rf"|(?:{_DIGITS})(?:\s*(?:%|percent|per\s+cent)|\s+(?:{SCALES})\b)?"
    rf"|(?:hundreds\s+of\s+thousands|tens\s+of\s+thousands)"
    rf"|(?:a|one)\s+(?:dozen|half|third|quarter)|half|a\s+(?:{SCALES})"
    rf"|{_WORD_NUMBER}|{VAGUE}|dozen)"
)
QUALIFIERS = (
    r"more\s+than|over|almost|nearly|close\s+to|about|around|roughly|approximately|some"
    r"|at\s+least|at\s+most|up\s+to|less\s+than|fewer\s+than|under|as\s+many\s+as|upwards\s+of"
    r"|surpassed|exceeded|exceeding|just\s+over|just\s+under|well\s+over|an\s+estimated|estimated"
)
_MENTION = re.compile(
    rf"(?i)(?<![\w$€£.,])(?:(?P<qual>{QUALIFIERS})\s+)?{_NUMBER}(?![\w%]|,\d|\.\d)"
    r"(?P<hyphen>-(?:year|month|week|day|hour|minute|member|strong|storey|story)s?(?:-old)?)?"
)
_MONTH = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_STOP = {
    "the", "a", "an", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by",
    "with", "as", "into", "that", "which", "who", "were", "was", "are", "is", "have", "has",
    "had", "be", "been", "will", "would", "could", "their", "his", "her", "its", "this",
    "these", "those", "after", "before", "since", "during", "than", "more", "while", "when",
    "where", "ago", "later", "earlier", "away", "also",
}
_POSSESSIVE = r"(?:the|their|his|her|its|our|them|those|these)"


_NEXT_WORD = re.compile(r"\s+([A-Za-z][A-Za-z'’-]*)")
_OF = re.compile(rf"\s+of\s+(?:{_POSSESSIVE}\s+)?")
_WORD = re.compile(r"\s+([A-Za-z][\w'’-]*)")


def _head_noun(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """The counted noun after a number: up to three words, stopping at function words."""
    words: list[str] = []
    end = pos
    while len(words) < 3:
        m = _NEXT_WORD.match(text, end, limit)
        if m is None:
            break
        word = m.group(1)
        lower = word.lower()
        if lower in _STOP or (words and (lower.endswith("ed") or lower.endswith("ing"))):
            break
        words.append(word)
        end = m.end()
    return (words[-1] if words else None), end


def find_numbers(article: Article, sentences: list[Sentence]) -> list[NumberCandidate]:
    text = article.text
    out: list[NumberCandidate] = []
    for sentence in sentences:
        chunk = text[sentence.start : sentence.end]
        for m in _MENTION.finditer(chunk):
            check_deadline()
            num = m.group("num")
            lower = num.lower()
            start = sentence.start + m.start()
            nstart, nend = sentence.start + m.start("num"), sentence.start + m.end("num")
            if lower == "one" and not m.group("qual") and not m.group("hyphen"):
                continue  # "one of the deadliest", "One resident": not a count
            if _is_date_or_time(chunk, m.start("num"), m.end("num"), num):
                continue
            end = sentence.start + m.end()
            head = None
            if m.group("hyphen"):
                head = m.group("hyphen").strip("-")
                nxt, end2 = _head_noun(text, end, sentence.end)
                if nxt:
                    head, end = f"{head} {nxt}", end2
            else:
                of = _OF.match(text, end, sentence.end)
                vague = bool(re.fullmatch(rf"(?i){VAGUE}|hundreds\s+of\s+thousands|dozen", num))
                word = _WORD.match(text, end, sentence.end)
                if of and (vague or lower[0].isdigit() or re.fullmatch(_WORD_NUMBER, lower)):
                    # "dozens of mourners", "five of their neighbours", "20 of his neighbors"
                    noun, end2 = _head_noun(text, of.end() - 1, sentence.end)
                    if noun and (vague or not word or word.group(1).lower() == "of"):
                        head, end = noun, end2
                if head is None:
                    head, end = _head_noun(text, end, sentence.end)
            if not is_included(article, start, end):
                continue
            out.append(
                NumberCandidate(
                    id=f"N{len(out) + 1}",
                    start=start,
                    end=end,
                    number_start=nstart,
                    number_end=nend,
                    qualifier=(m.group("qual") or None) and " ".join(m.group("qual").split()),
                    head=head,
                    sentence_id=sentence.id,
                )
            )
    return out


def _is_date_or_time(chunk: str, start: int, end: int, num: str) -> bool:
    if not num[:1].isdigit():
        return False
    before, after = chunk[max(0, start - 12) : start], chunk[end : end + 12]
    if re.search(rf"(?:{_MONTH})\.?\s+$", before) or re.match(rf"\s+(?:{_MONTH})\b", after):
        return True  # "March 6", "6 March"
    if re.match(r"[:/]\d", after) or re.search(r"\d[:/]$", before):
        return True  # 05:53, 3/8
    value = num.replace(",", "")
    return bool(re.fullmatch(r"(?:19|20)\d\d", value)) and not re.match(
        r"\s+(?:people|civilians|of)\b", after
    )


def find_candidates(article: Article) -> Candidates:
    """All candidates of one article, ids numbered in text order (S1.., Q1.., N1..)."""
    sentences = find_sentences(article)
    return Candidates(
        article_id=article.id,
        sentences=sentences,
        quotes=find_quotes(article, sentences),
        numbers=find_numbers(article, sentences),
    )
