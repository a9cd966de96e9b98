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
        line_first = len(out)
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
                    if (len(out) > line_first and _CONTINUES.match(text, s)
                            and not text[out[-1].end : s].strip()):
                        # pysbd cut after an abbreviation ("Mitch McConnell, R-Ky.| , said",
                        # "of Raleigh, N.C.| who"): a piece opening with a comma or a
                        # lowercase word goes on the sentence before it
                        out[-1] = Sentence(id=out[-1].id, start=out[-1].start, end=e)
                    else:
                        out.append(Sentence(id=f"S{len(out) + 1}", start=s, end=e))
    return out


_CONTINUES = re.compile(r"[,;]|[a-z]")


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


_STRAIGHT_BEFORE_CUE = re.compile(
    r"[,.?!][\"“](?=\s+(?:(?:he|she|they)\s+|(?:[A-Z][\w.’'-]*\s+){1,4}?)?(?:said|says|added|told|wrote"
    r"|asked|continued|explained)\b)")


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
            if ch == "“":
                # “We will win so much," Trump said. "You will be happy.”, “It's unusual,“ said
                # Larry Noble: a straight or reversed mark right before an attribution closes
                # the curly opening (mixed typography)
                m = _STRAIGHT_BEFORE_CUE.search(text, i + 1, min(j, end))
                if m:
                    j = m.start() + 1
            if j >= end and ch == "“":
                # web text mixes typography ("“trapped in the past." Rubio said): with no
                # curly close in the paragraph, a straight one closes the quote
                k = text.find('"', i + 1, end)
                j = k if k >= 0 else end
            elif j >= end and ch == '"':
                # and the other way round: "There are two people …,” said Rick Wilson
                k = text.find("”", i + 1, end)
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
SCALES = "hundred|thousand|million|billion|trillion|lakh|crore"
VAGUE = "dozens|scores|hundreds|thousands|millions|billions|tens\\s+of\\s+thousands"
_NUMBER_WORD = rf"(?:{TENS})(?:-(?:{UNITS}))?|{UNITS}|hundred|thousand|million|billion|trillion"
# A run of number words: "twenty-eight thousand six hundred forty-two", "a hundred and two".
# text2num reads it (normalize.parse_number); a run it cannot read is split by find_numbers.
_WORD_RUN = (
    rf"(?:an?\s+(?=(?:hundred|thousand|million|billion)\b))?(?:{_NUMBER_WORD})"
    rf"(?:(?:\s+|-|\s+and\s+(?=(?:{TENS}|{UNITS})\b))(?:{_NUMBER_WORD})){{0,11}}"
)  # at most 12 words, so splitting an unreadable run stays cheap
_DENOMINATORS = (
    r"halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?"
    r"|tenths?"
)
# "two-thirds", "one sixth", "three quarters", "two and a half", "a third of"
_WORD_FRACTION = (
    rf"(?:{UNITS}|{TENS})[-\s]and[-\s]a[-\s]half|(?:{UNITS})[-\s](?:{_DENOMINATORS})"
    rf"|(?:a\s+)?half[-\s]dozen"
    rf"|an?\s+(?:third|quarter|fifth|tenth)(?!\s+(?!(?:of|as|for|in|since|to|from|and|or|than)\b)"
    rf"[a-z])|a\s+half|half"
)
_VULGAR = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# One number written in digits: "1,000", "2.5", "10 1/2", "1/4", "2½", "½"
# A slash fraction is proper and has a usual denominator: "9/11" and "24/7" are names.
_SLASH = r"(?:1/(?:2|3|4|5|8|10|16|100)|[23]/[458]|[23]/3|[4-7]/8|4/5|3/10|7/10|9/10|[1-9]\d?/100)"
_NUMERAL = rf"(?:\d+\s+{_SLASH}|{_SLASH}(?!\d)|\d*[{_VULGAR}]|{_DIGITS})"
_SCALE_SUFFIX = (
    r"(?:\s*(?:hundred|thousand|million|billion|trillion|lakh|crore)\b|(?-i:bn|mn|tn|[kKmMbBT])\b)"
)
_PERCENT = r"(?:\s*%|\s*percent\b|\s+per\s+cent\b)"
_CURRENCY = r"(?:[$€£]\s?|(?:US|A|C|NZ|HK)\$\s?)"
_ONE_DIGITS = rf"(?:{_CURRENCY})?(?:[-−](?=\d))?{_NUMERAL}{_SCALE_SUFFIX}?{_PERCENT}?"
_RANGE_SEP = r"(?:\s*[-–—]\s*(?:to\s+)?|\s+to\s+)"
_NUMBER = (
    rf"(?P<num>(?:minus\s+|negative\s+)?{_ONE_DIGITS}"
    rf"(?:(?(btw)\s+and\s+|{_RANGE_SEP})(?:{_ONE_DIGITS}|{_WORD_RUN}(?:\s+(?:{SCALES}))?))?"
    rf"|(?:hundreds\s+of\s+thousands|tens\s+of\s+thousands)"
    rf"|{_WORD_FRACTION}"
    rf"|(?:a|one)\s+dozen|(?:several|a\s+few)\s+(?:hundred|thousand|million)"
    rf"|{_WORD_RUN}(?:(?(btw)\s+and\s+|\s+to\s+)(?:{_ONE_DIGITS}|{_WORD_RUN}))?"
    rf"|a\s+(?:{SCALES})|{VAGUE}|dozen)"
)
QUALIFIERS = (
    r"more\s+than|over|almost|nearly|close\s+to|about|around|roughly|approximately|some"
    r"|at\s+least|at\s+most|up\s+to|less\s+than|fewer\s+than|under|as\s+many\s+as|upwards\s+of"
    r"|surpass(?:ed|es|ing)|exceed(?:ed|s|ing)|topp(?:ed|ing)|in\s+excess\s+of"
    r"|just\s+over|just\s+under|well\s+over|an\s+estimated|estimated"
)
# Units a number may carry glued on ("200lbs", "7.62mm", "60GB", "50mph", "100t", "24703m2").
# Any other letters glued to digits make an identifier ("24703L202", "173m" in "scp-173m").
_GLUED_UNITS = {
    "lb", "lbs", "kg", "g", "mg", "µg", "μg", "mcg", "t", "oz", "ml", "cl", "dl", "l",
    "km", "m", "cm", "mm", "nm", "mi", "ft", "in", "yd", "km2", "m2", "km3", "m3", "mph", "kph",
    "kmph", "km/h", "km/hr", "kmh", "kb", "mb", "gb", "tb", "kbps", "mbps", "gbps", "hz", "khz",
    "mhz", "ghz", "w", "kw", "mw", "gw", "wh", "kwh", "mwh", "gwh", "v", "kv", "ma", "rad",
    "°", "°c", "°f", "c", "f", "sec", "min", "h", "hr", "hrs", "ms", "yo", "ha", "pm", "am",
}
_MENTION = re.compile(
    rf"(?i)(?<![\w$€£.,^/°])(?<!\w-)(?:(?:(?P<btw>between)|(?P<qual>{QUALIFIERS}))\s+)?{_NUMBER}"
    r"(?P<glued>(?<=\d)[a-zµμ°][a-z0-9/]*)?(?![\w%]|,\d|\.\d)"
    r"(?P<hyphen>-(?:year|month|week|day|hour|minute|member|strong|storey|story|page)s?"
    r"(?:-old)?)?"
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
    "where", "ago", "later", "earlier", "away", "also", "he", "she", "they", "we", "it", "i",
    "you", "last", "next", "each", "per", "said", "says", "told", "say", "between", "among",
    "over", "under", "through", "against", "about", "within", "without", "across", "like",
    "including", "toward", "towards", "via", "amid", "until", "than",
}
_POSSESSIVE = r"(?:the|their|his|her|its|our|them|those|these)"
# "one" counts only before a unit or a person ("one mile", "one soldier was killed"); "One
# resident said", "one of the deadliest" are not counts.
_ONE_COUNTS = re.compile(
    r"\s+(?:person|man|woman|child|boy|girl|soldier|civilian|officer|policeman|journalist"
    r"|mile|kilometre|kilometer|metre|meter|foot|inch|pound|ton|tonne|gallon|litre|liter"
    r"|percent|per\s+cent|dollar|euro|hour|minute|(?:year|month|week|day)s?[-\s]old)\b"
)
# A number right after one of these is a name or an index, not a count: "Highway 35",
# "exit 436", "No. 1", "Article 5", "Covid-19", "Boeing 737".
_INDEX_WORDS = {
    "highway", "route", "interstate", "exit", "no", "no.", "number", "flight", "room", "page",
    "chapter", "article", "section", "amendment", "district", "precinct", "ward", "gate",
    "platform", "terminal", "channel", "model", "version", "episode", "season", "phase",
    "level", "grade", "class", "category", "type", "proposition", "prop", "resolution",
    "bill", "act", "title", "division", "lot", "unit", "apartment", "suite", "box", "code",
    "zone", "block", "row", "seat", "lane", "pier", "bay", "stage", "tier",
}
_ADDRESS = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive"
    r"|Dr|Way|Place|Pl|Square|Court|Ct|Terrace|Parkway)\b"
)
_PLURAL_NOUN = re.compile(r"\s+(?!(?:is|was|has|this|its|his|as|us)\b)(?:[a-z]+s|people)\b")
_CHANGE_BEFORE = re.compile(r"(?i)(?<!rang)(?<!range)(?<!ranges)(?<!ranging)\b(?:from|by)\s+$")
_PREV_WORD = re.compile(r"([\w&.’'-]+)\W{0,2}$")


# a word after a number: "U.S." whole (not "U"), "F-16s" with its digits
_NEXT_WORD = re.compile(r"\s+((?:[A-Z]\.){2,4}|[A-Za-z][A-Za-z'’]*(?:-[A-Za-z\d][\w'’]*)*)")
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


def _is_name_or_index(chunk: str, start: int, end: int, num: str, sentence_start: bool) -> bool:
    """'S&P 500', 'iPhone 11', 'Voyager 2', 'Highway 35', 'PA 23456', 'Group of Seven',
    '123 Random Street', 'four-star', 'five-term': a number that names or indexes, not one
    that counts."""
    before = chunk[max(0, start - 40) : start]
    prev = _PREV_WORD.search(before)
    first = num.split()[0] if num.split() else num
    if num[:1].isdigit() and re.match(r"\s?\(?[a-z]\)?\(?\d", chunk[end : end + 6]):
        return True  # "501(c)(4)", "501 c3": a section of a code
    if prev and num[:1].isdigit() and re.fullmatch(r"[A-Z]{1,4}|(?:[A-Z]\.){1,3}", prev.group(1)) \
            and not re.search(r"[.!?:;,]\s*$", before) and prev.group(1) not in {"I", "A"}:
        return True  # "the “HR 1” measure", "H.R. 1", "S. 744": a bill or an index
    if prev and not re.search(r"[.!?:;,(\"“”]\s*$", before):
        word = prev.group(1)
        lower = word.lower().rstrip(".")
        if lower in _INDEX_WORDS:
            return True
        if (num[:1].isdigit() or num[:1] in "−-") and not re.search(r"%|percent|per cent", num):
            # a capitalised or mixed-case word before digits: 'S&P 500', 'Voyager 2', 'PA 23456'
            if (word[:1].isupper() or re.search(r"[a-z][A-Z]|&", word)) and lower not in _STOP \
                    and not re.search(r"[’']s?$", word) \
                    and not re.fullmatch(rf"(?i){QUALIFIERS}|{_MONTH}|between", lower) \
                    and not _is_sentence_first(before, prev.start()):
                return True
    if first[:1].isupper() and not num[:1].isdigit() and not sentence_start \
            and not re.search(r"[—–:;(\"“-]\s*$", before):
        # 'Group of Seven', 'Air Force One', 'the Big Ten': a capitalised number word mid-sentence
        return True
    if num[:1].isdigit() and _ADDRESS.match(chunk, end):
        return True
    # "four-star", "a five-term congressman", "a three-time champion": a rank, not a count
    return bool(re.match(r"-(?:star|term|time)\b|-point\s+(?:plan|program)", chunk[end:end + 20]))


def _is_sentence_first(before: str, word_start: int) -> bool:
    return not before[:word_start].strip() or bool(re.search(r"[.!?:\"“]\s*$", before[:word_start]))


def _word_runs(num: str) -> list[tuple[int, int]]:
    """A run of number words text2num cannot read as one ('two three') split into the longest
    readable pieces, as offsets into ``num``."""
    from summarizer.normalize import parse_number

    words = list(re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*", num))
    out, i = [], 0
    while i < len(words):
        for j in range(len(words), i, -1):
            piece = num[words[i].start() : words[j - 1].end()]
            if parse_number(piece) is not None:
                out.append((words[i].start(), words[j - 1].end()))
                i = j
                break
        else:
            i += 1
    return out


def find_numbers(article: Article, sentences: list[Sentence]) -> list[NumberCandidate]:
    text = article.text
    out: list[NumberCandidate] = []
    for sentence in sentences:
        chunk = text[sentence.start : sentence.end]
        for m in _MENTION.finditer(chunk):
            check_deadline()
            for cand in _mention(article, sentence, chunk, m):
                out.append(cand.model_copy(update={"id": f"N{len(out) + 1}"}))
    return out


def _mention(article: Article, sentence: Sentence, chunk: str, m: re.Match[str]
             ) -> list[NumberCandidate]:
    from summarizer.normalize import parse_number, split_range

    text = article.text
    num = m.group("num")
    lower = num.lower()
    glued = (m.group("glued") or "").lower()
    if glued and glued not in _GLUED_UNITS:
        return []  # "24703L202", "1st": an identifier or an ordinal
    if glued in {"am", "pm"} or re.match(r"(?i)\s*(?:[ap]\.m\.?|[ap]m\b)", chunk[m.end("num"):]):
        return []  # "2 pm", "2.13 am": a time
    nend_cut = 0
    if re.search(r"(?<=\d)m$", num) and not re.match(r"[$€£]|[A-Z]{1,2}\$", num) \
            and not _PLURAL_NOUN.match(chunk, m.end("num")):
        nend_cut, glued = 1, "m"  # "1.8m tall", "48m": metres; "2.7m sales", "$5m": millions
        num = num[:-1]
    qual = m.group("qual") or m.group("btw")
    sentence_start = not chunk[: m.start()].strip(" \"“‘'(")
    if _is_name_or_index(chunk, m.start("num"), m.end(), num, sentence_start):
        return []
    start = sentence.start + m.start()
    nstart, nend = sentence.start + m.start("num"), sentence.start + m.end("num") - nend_cut
    cut = split_range(num)
    if cut is not None:
        left_num, right_num = num[: cut[0]], num[cut[1] :]
        left_date = _is_date_or_time(chunk, m.start("num"), m.start("num") + cut[0], left_num)
        if left_date and (re.fullmatch(r"\d\d", right_num) or _is_date_or_time(
                chunk, m.start("num") + cut[1], m.end("num"), right_num)):
            return []  # "2013-14", "from 2010 to 2015"
        change = " to" in num[cut[0] : cut[1]] and _CHANGE_BEFORE.search(chunk[: m.start()])
        units_differ = bool(re.search(r"%|percent|per cent", left_num)) != bool(
            re.search(r"%|percent|per cent", right_num))
        if left_date or change or units_differ or parse_number(num) is None:
            # "rose from 20 to 35", "by 25% to 34,500", "49 percent to 44 percent", "396-9",
            # "in fiscal 2011 to $10.1 million": two numbers, not a range
            left = [] if left_date else _candidate(
                article, sentence, nstart, nstart + cut[0], qual, None, "", start=start,
                end=nstart + cut[0])
            right = _candidate(article, sentence, nstart + cut[1], nend, None,
                               m.group("hyphen"), glued, end=sentence.start + m.end())
            return left + right
    elif m.group("btw"):
        qual, start = None, nstart  # "between two competing wings": not a range
    if _is_date_or_time(chunk, m.start("num"), m.end("num"), num):
        return []
    if parse_number(num) is None:
        # a run of words text2num cannot read ("two three"): its readable pieces, unqualified
        if num[:1].isdigit():
            return []
        pieces = _word_runs(num)
        if not pieces or pieces == [(0, len(num))]:
            return []
        out = []
        for a, b in pieces:
            nstart = sentence.start + m.start("num") + a
            out.extend(_candidate(article, sentence, nstart, nstart + (b - a), None, None, ""))
        return out
    if lower == "one" and not qual and not m.group("hyphen") and not glued \
            and not _ONE_COUNTS.match(chunk, m.end()):
        return []  # "one of the deadliest", "One resident": not a count
    return _candidate(article, sentence, nstart, nend, qual, m.group("hyphen"), glued,
                      start=start, end=sentence.start + m.end())


def _candidate(article: Article, sentence: Sentence, nstart: int, nend: int, qual: str | None,
               hyphen: str | None, glued: str, *, start: int | None = None,
               end: int | None = None) -> list[NumberCandidate]:
    text = article.text
    start = nstart if start is None else start
    end = nend if end is None else end
    num = text[nstart:nend]
    lower = num.lower()
    head = None
    if glued:
        head = glued
    elif hyphen:
        head = hyphen.strip("-")
        nxt, end2 = _head_noun(text, end, sentence.end)
        if nxt:
            head, end = f"{head} {nxt}", end2
    else:
        of = _OF.match(text, end, sentence.end)
        vague = bool(re.fullmatch(rf"(?i){VAGUE}|hundreds\s+of\s+thousands|dozen", num))
        word = _WORD.match(text, end, sentence.end)
        if of and (vague or lower[0].isdigit() or re.fullmatch(_WORD_RUN, lower)
                   or re.fullmatch(_WORD_FRACTION, lower)):
            # "dozens of mourners", "five of their neighbours", "20 of his neighbors"
            noun, end2 = _head_noun(text, of.end() - 1, sentence.end)
            if noun and (vague or not word or word.group(1).lower() == "of"):
                head, end = noun, end2
        if head is None:
            head, end = _head_noun(text, end, sentence.end)
    if not is_included(article, start, end):
        return []
    return [NumberCandidate(
        id="N0",
        start=start,
        end=end,
        number_start=nstart,
        number_end=nend,
        qualifier=(qual or None) and " ".join(qual.split()),
        head=head,
        sentence_id=sentence.id,
    )]


def _is_date_or_time(chunk: str, start: int, end: int, num: str) -> bool:
    if not num[:1].isdigit():
        return False
    before, after = chunk[max(0, start - 12) : start], chunk[end : end + 12]
    if re.search(rf"(?:{_MONTH})\.?\s+$", before) or re.match(rf"\s+(?:{_MONTH})\b", after):
        return True  # "March 6", "6 March"
    if re.match(r"[:/]\d", after) or re.search(r"\d[:/]$", before):
        return True  # 05:53, 3/8
    if re.fullmatch(r"\d{1,2}/\d{1,2}", num) and re.search(
            r"(?i)\b(?:on|since|by|until|from|before|after)\s+$", before):
        return True  # "on 3/8": a date, not three eighths
    value = re.split(r"\s*(?:[-–—]|to|and)\s*", num.replace(",", ""))[0]
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
