"""Pure functions: numbers with qualifiers -> intervals, time expressions -> dates, names -> keys."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache

from text_to_num import text2num

from summarizer.models import Precision, Qualifier, Quantity

# --------------------------------------------------------------------------- numbers

_VAGUE: dict[str, tuple[float, float]] = {
    "dozen": (12, 12),
    "a dozen": (12, 12),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
    "millions": (2_000_000, 9_999_999),
    "billions": (2e9, 9.999e9),
    "several hundred": (300, 999), "a few hundred": (200, 500),
    "several thousand": (3000, 9999), "a few thousand": (2000, 5000),
    "several million": (3e6, 9.999e6), "a few million": (2e6, 5e6),
}
_FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
              "a quarter": 0.25, "one quarter": 0.25}
_QUALIFIER_OF = {
    "more than": Qualifier.MORE_THAN, "over": Qualifier.MORE_THAN, "surpassed": Qualifier.MORE_THAN,
    "exceeded": Qualifier.MORE_THAN, "exceeding": Qualifier.MORE_THAN,
    "just over": Qualifier.MORE_THAN, "well over": Qualifier.MORE_THAN,
    "upwards of": Qualifier.MORE_THAN, "in excess of": Qualifier.MORE_THAN,
    "surpasses": Qualifier.MORE_THAN, "surpassing": Qualifier.MORE_THAN,
    "exceeds": Qualifier.MORE_THAN, "topped": Qualifier.MORE_THAN, "topping": Qualifier.MORE_THAN,
    "at least": Qualifier.AT_LEAST, "as many as": Qualifier.AT_MOST,
    "at most": Qualifier.AT_MOST, "up to": Qualifier.AT_MOST,
    "less than": Qualifier.LESS_THAN, "fewer than": Qualifier.LESS_THAN,
    "under": Qualifier.LESS_THAN, "just under": Qualifier.LESS_THAN,
    "almost": Qualifier.APPROX, "nearly": Qualifier.APPROX, "close to": Qualifier.APPROX,
    "about": Qualifier.APPROX, "around": Qualifier.APPROX, "roughly": Qualifier.APPROX,
    "approximately": Qualifier.APPROX, "some": Qualifier.APPROX,
    "an estimated": Qualifier.APPROX, "estimated": Qualifier.APPROX,
    "between": Qualifier.RANGE,
}
# "almost"/"nearly"/"just under" approach from below; the rest straddle the value.
_BELOW = {"almost", "nearly", "just under"}
APPROX_TOLERANCE = 0.05


_SUFFIX_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12, "tn": 1e12}
_SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9,
                "trillion": 1e12, "lakh": 1e5, "crore": 1e7}
_VULGAR = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅖": 2 / 5,
           "⅗": 3 / 5, "⅘": 4 / 5, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8,
           "⅞": 7 / 8}
_DENOMINATOR = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
                "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
                "tenth": 10, "tenths": 10}
_CURRENCIES = (("us$", "USD"), ("a$", "AUD"), ("c$", "CAD"), ("nz$", "NZD"), ("hk$", "HKD"),
               ("$", "USD"), ("€", "EUR"), ("£", "GBP"))
_NUMERAL = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(hundred|thousand|million|billion|trillion|lakh"
                      r"|crore|bn|mn|tn|k|m|b|t)?")
_RANGE_SEPARATOR = re.compile(r"\s*[-–—]\s*(?:to\s+)?|\s+to\s+|\s+and\s+")
_HAS_SCALE = re.compile(r"(?:\d\s*(?:bn|mn|tn|k|m|b|t)|\b(?:hundred|thousand|million|billion"
                        r"|trillion|lakh|crore))$")


def parse_number(text: str) -> tuple[float, float, str | None] | None:
    """``"1,000"`` -> (1000, 1000, None); ``"dozens"`` -> (24, 99, None); ``"$5.7 billion"`` ->
    (5.7e9, 5.7e9, "USD"); ``"45%"`` -> (45, 45, "%"); ``"1 to 1.5 million"`` -> (1e6, 1.5e6,
    None); ``"minus 387"`` -> (-387, -387, None); ``"two-thirds"`` -> (0.667, 0.667, None).
    ``None`` when it is not a number (or is a tally such as "52-48")."""
    one = _parse_one(text)
    if one is not None:
        return one
    return _parse_range(text)


def _parse_range(text: str) -> tuple[float, float, str | None] | None:
    """'8 to 10', '1 to 1.5 million', '$5-7 billion', '10-15%', '44 and 50' (after 'between'):
    the left end takes the right end's scale and unit when it has none of its own."""
    cut = split_range(text)
    if cut is None:
        return None
    raw = text.lower()
    left_text, right_text = " ".join(raw[: cut[0]].split()), " ".join(raw[cut[1] :].split())
    left, right = _parse_one(left_text), _parse_one(right_text)
    if left is None or right is None:
        return None
    low, high, unit = left[0], right[1], right[2] or left[2]
    right_core = re.sub(r"\s*(?:%|percent|per cent)$", "", right_text)
    left_core = re.sub(r"\s*(?:%|percent|per cent)$", "", left_text)
    scale = _HAS_SCALE.search(right_core)
    if scale and not _HAS_SCALE.search(left_core):
        s = _SCALE_WORDS.get(scale.group(0).split()[-1]) or _SUFFIX_SCALE.get(
            re.sub(r"^[\d\s]+", "", scale.group(0)), 1)
        if low * s <= high:
            low *= s
    if low > high:
        return None  # "52-48": a tally or a score, not a range
    return low, high, unit


def split_range(text: str) -> tuple[int, int] | None:
    """Where a two-number text splits ("8 to 10" -> (1, 5)): the offsets of the separator
    between two parts that each read as a number; ``None`` for one number."""
    if _parse_one(text) is not None:
        return None  # "twenty-eight" is one number
    for sep in _RANGE_SEPARATOR.finditer(text):
        left, right = text[: sep.start()].strip(), text[sep.end() :].strip()
        if left and right and _parse_one(left) is not None and _parse_one(right) is not None:
            return sep.start(), sep.end()
    return None


def _parse_one(text: str) -> tuple[float, float, str | None] | None:
    raw = " ".join(text.lower().replace("−", "-").split())
    negative = False
    m = re.match(r"(?:minus|negative)\s+|-(?=[\d$€£½⅓⅔¼¾])", raw)
    if m:
        negative, raw = True, raw[m.end() :]
    unit = None
    for sym, code in _CURRENCIES:
        if raw.startswith(sym):
            raw, unit = raw[len(sym) :].strip(), code
            break
    if raw.startswith("-") and unit:  # "$-99.99"
        negative, raw = True, raw[1:]
    if raw.endswith("%") or raw.endswith("percent") or raw.endswith("per cent"):
        raw, unit = re.sub(r"\s*(?:%|percent|per cent)$", "", raw), "%"
    value = _value(raw)
    if value is None:
        return None
    low, high = value
    if negative:
        low, high = -high, -low
    return low, high, unit


def _value(raw: str) -> tuple[float, float] | None:
    if raw in _VAGUE:
        return _VAGUE[raw]
    if raw in _FRACTIONS:
        return _FRACTIONS[raw], _FRACTIONS[raw]
    m = _NUMERAL.fullmatch(raw)
    if m:
        scale = _SCALE_WORDS.get(m.group(2) or "") or _SUFFIX_SCALE.get(m.group(2) or "", 1)
        v = float(m.group(1).replace(",", "")) * scale
        return v, v
    m = re.fullmatch(r"(\d+)\s+(\d+)/(\d+)|(\d+)/(\d+)", raw)
    if m:
        whole, num, den = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (
            "0", m.group(4), m.group(5))
        if int(den) == 0:
            return None
        v = int(whole) + int(num) / int(den)
        return v, v
    m = re.fullmatch(r"(\d*)([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])", raw)
    if m:
        v = int(m.group(1) or 0) + _VULGAR[m.group(2)]
        return v, v
    words = raw.replace("-", " ")
    m = re.fullmatch(r"(.+?) and a half", words)  # hyphens are spaces here
    if m:
        whole = _words_value(m.group(1))
        return None if whole is None else (whole + 0.5, whole + 0.5)
    m = re.fullmatch(r"(an?|[a-z]+) (halves|half|thirds?|quarters?|fourths?|fifths?|sixths?"
                     r"|sevenths?|eighths?|ninths?|tenths?)", words)
    if m:
        top = 1.0 if m.group(1) in {"a", "an"} else _words_value(m.group(1))
        if top is not None:
            v = top / _DENOMINATOR[m.group(2)]
            return v, v
    v = _words_value(words)
    return None if v is None else (v, v)


def _words_value(words: str) -> float | None:
    words = re.sub(r"^an? (?=hundred|thousand|million|billion)", "one ", words)
    if words in {"dozen", "a dozen", "one dozen"}:
        return 12.0
    if words in {"half dozen", "a half dozen"}:
        return 6.0
    m = re.fullmatch(r"a (hundred|thousand|million|billion|trillion|lakh|crore)", words)
    if m:
        return _SCALE_WORDS[m.group(1)]
    try:
        return float(text2num(words.replace(" and ", " "), "en"))
    except ValueError:
        return None


def to_quantity(qualifier: str | None, number: str, as_written: str) -> Quantity | None:
    """An interval for a number mention. Open bounds are ``None``.

    "more than 1,000" -> (1000, None] more_than; "almost 750" -> [712.5, 750] approx;
    "close to 150" -> [142.5, 157.5] approx; "at least 745" -> [745, None) at_least;
    "dozens" -> [24, 99] approx.
    """
    parsed = parse_number(number)
    if parsed is None:
        return None
    low, high, unit = parsed
    q = " ".join((qualifier or "").lower().split())
    kind = _QUALIFIER_OF.get(q, Qualifier.EXACT)
    vague = low != high
    if vague and kind in (Qualifier.EXACT, Qualifier.RANGE):
        # "dozens" is vague; "8 to 10", "between 10 and 20" are ranges
        written = " ".join(number.lower().split())
        kind = Qualifier.APPROX if written in _VAGUE else Qualifier.RANGE
    if kind == Qualifier.RANGE and not vague:
        kind = Qualifier.EXACT
    if kind == Qualifier.MORE_THAN:
        return Quantity(low=high, high=None, qualifier=kind, unit=unit, as_written=as_written)
    if kind == Qualifier.AT_LEAST:
        return Quantity(low=low, high=None, qualifier=kind, unit=unit, as_written=as_written)
    if kind in (Qualifier.LESS_THAN, Qualifier.AT_MOST):
        return Quantity(low=None, high=high, qualifier=kind, unit=unit, as_written=as_written)
    if kind == Qualifier.APPROX and not vague:
        span = APPROX_TOLERANCE * low
        lo, hi = (low - span, high) if q in _BELOW else (low - span, high + span)
        return Quantity(low=_round(lo), high=_round(hi), qualifier=kind, unit=unit,
                        as_written=as_written)
    return Quantity(low=low, high=high, qualifier=kind, unit=unit, as_written=as_written)


_ROUNDED = re.compile(
    r"(?i)(\d[\d,]*)(?:\.(\d+))?\s*(million|billion|trillion|thousand|bn|mn|tn|[mbk])\b"
    r"|(\d[\d,]*)(?:\.(\d+))?\s*(?:%|percent|per cent)"
)


# a whole number written with thousands separators and trailing zeros ("$43,000", "250,000")
_ZEROS = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+)(?![\d,]|\.\d)")


def as_rounded(q: Quantity) -> Quantity:
    """An exact number written rounded ("$43 million", "$13.6 million", "35.7 percent") as the
    interval of the values it may round or truncate: [v - half a unit, v + one unit] of its last
    written digit; a whole number with trailing zeros and at least two significant digits
    ("$43,000", "$250,000") likewise of its last non-zero digit. Other quantities unchanged. For deciding whether reports agree, not for
    display: "$43 million" and "$43,885,310" are one compatible figure."""
    if q.qualifier != Qualifier.EXACT or q.low is None or q.low != q.high:
        return q
    m = _ROUNDED.search(q.as_written)
    if m is None:
        z = _ZEROS.search(q.as_written)
        if z is None:
            return q
        digits = z.group(1).replace(",", "")
        zeros = len(digits) - len(digits.rstrip("0"))
        if len(digits) - zeros < 2:
            return q  # "1,000": one significant digit says too little to widen it
        unit = 10.0 ** zeros
        return q.model_copy(update={"low": _round(q.low - unit / 2),
                                    "high": _round(q.high + unit)})
    decimals = m.group(2) if m.group(1) else m.group(5)
    scale_word = (m.group(3) or "").lower()
    scale = _SCALE_WORDS.get(scale_word) or _SUFFIX_SCALE.get(scale_word, 1.0)
    unit = scale / (10 ** len(decimals or ""))
    return q.model_copy(update={"low": _round(q.low - unit / 2), "high": _round(q.high + unit)})


def _round(x: float) -> float:
    return float(round(x, 3))


def overlaps(a: Quantity, b: Quantity) -> bool:
    """Do two intervals share a value? Strict bounds (more/less than) exclude their endpoint."""
    a_lo, a_hi = (-math.inf if a.low is None else a.low), (math.inf if a.high is None else a.high)
    b_lo, b_hi = (-math.inf if b.low is None else b.low), (math.inf if b.high is None else b.high)
    lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
    if lo < hi:
        return True
    if lo > hi:
        return False
    strict_low = (a.qualifier == Qualifier.MORE_THAN and a_lo == lo) or (
        b.qualifier == Qualifier.MORE_THAN and b_lo == lo
    )
    strict_high = (a.qualifier == Qualifier.LESS_THAN and a_hi == hi) or (
        b.qualifier == Qualifier.LESS_THAN and b_hi == hi
    )
    return not (strict_low or strict_high)


def precision_rank(q: Quantity) -> tuple[int, float]:
    """Lower is more precise: exact < bounded approx < one-sided < vague."""
    if q.qualifier == Qualifier.EXACT and q.low == q.high:
        return (0, 0.0)
    if q.low is not None and q.high is not None:
        return (1, q.high - q.low)
    return (2, 0.0)


# --------------------------------------------------------------------------- dates

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]


_FUTURE = re.compile(
    r"(?i)\b(?:will|won['’]t|shall|effective|takes?\s+effect|is\s+(?:expected|scheduled|set|due)"
    r"|are\s+(?:expected|scheduled|set|due)|scheduled|upcoming|plans?\s+to|next|is\s+to|are\s+to"
    r"|set\s+for|slated\s+for|set\s+(?:the|a|his|her|their)\s+\w+\s+for"
    r"|would\s+(?:begin|start|take|end|leave|step)|deadline)\b"
)


_MONTH_NAMES = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
                r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_OCCASION = (r"(?:election|primary|primaries|vote|voting|runoff|caucus(?:es)?|hearing|debate"
             r"|deadline|summit|meeting|speech|trial|sentencing|convention|referendum)")
_SOON = re.compile(
    rf"(?i)\b(?:set\s+for|slated\s+for|would|before|by)\s+(?:\w+\s+){{0,2}}{_MONTH_NAMES}\s+\d"
    rf"|\bthe\s+{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{_OCCASION}"
    rf"|\b{_OCCASION}\s+(?:on|set\s+for|slated\s+for)\s+{_MONTH_NAMES}\s+\d")


def points_soon(sentence: str) -> bool:
    """Whether a sentence dates an occasion that may lie just ahead ("the June 19 voting",
    "Netanyahu's speech, set for March 3", "would campaign together June 15", "the primary on
    June 3"): a day without its year within 90 days after publication is then the coming
    one, not last year's."""
    return bool(_SOON.search(sentence))


def points_forward(sentence: str) -> bool:
    """Whether a sentence speaks of what is to come ("will", "effective", "is scheduled",
    "until"): a date in it without a year is then the next such date, not the last."""
    return bool(_FUTURE.search(sentence))


def resolve_date(
    expression: str | None,
    published: dt.date | None,
    *,
    anchor: dt.date | None = None,
    forward: bool = False,
    soon: bool = False,
) -> tuple[dt.date | None, Precision]:
    """Resolve a time expression as written against the publication date.

    "Thursday" -> the last Thursday on or before publication; "the day before" -> anchor - 1
    (anchor: the date of the event it is relative to, else publication); "March 6" -> that day in
    the publication year; "early December" -> month precision. Unresolvable -> (None, UNKNOWN).
    A date written without its year resolves to the nearest such date in the direction the
    sentence's tense points: back by default (past tense), forward when ``forward``
    ("his resignation is effective December 31", "will vote on Thursday"); with ``soon``
    ("the June 19 voting", see :func:`points_soon`) a day less than 90 days after
    publication is the coming one.
    """
    if not expression:
        return None, Precision.UNKNOWN
    text = " ".join(expression.lower().split())
    text = re.sub(r"^(?:on|by|since|from|until|in|early|late|last|this|the)\s+", "", text)
    text = re.sub(r"\s+(?:morning|afternoon|evening|night)$", "", text)
    text = re.sub(r"^(?:early|late|on)\s+", "", text)
    base = anchor or published
    if re.search(r"\b(?:day before|previous day|yesterday|a day earlier)\b", text):
        return (base - dt.timedelta(days=1), Precision.DAY) if base else (None, Precision.UNKNOWN)
    if re.search(r"\b(?:today|this morning|tonight)\b", text):
        return (base, Precision.DAY) if base else (None, Precision.UNKNOWN)
    if re.fullmatch(r"(?:(?:earlier|later)\s+)?this\s+week", " ".join(expression.lower().split())):
        return (published, Precision.WEEK) if published else (None, Precision.UNKNOWN)
    if text.startswith("week") or "last week" in expression.lower():
        return (published - dt.timedelta(days=7), Precision.WEEK) if published else (
            None, Precision.UNKNOWN)
    for i, day in enumerate(_WEEKDAYS):
        if re.fullmatch(rf"{day}", text):
            if published is None:
                return None, Precision.UNKNOWN
            if forward:
                ahead = (i - published.weekday()) % 7
                return published + dt.timedelta(days=ahead), Precision.DAY
            back = (published.weekday() - i) % 7
            if re.match(r"(?i)\s*last\s", expression):
                return published - dt.timedelta(days=back or 7), Precision.DAY
            if back == 6:
                # the day after publication, not six days before: a story updated after its
                # date line ("still in critical condition on Thursday" in a Wednesday story);
                # a weekday six days back is written "last Thursday"
                return published + dt.timedelta(days=1), Precision.DAY
            return published - dt.timedelta(days=back), Precision.DAY
    parsed = _parse_absolute(text, published, forward, soon)
    if parsed is not None:
        return parsed
    return None, Precision.UNKNOWN


def _parse_absolute(text: str, published: dt.date | None, forward: bool = False,
                    soon: bool = False) -> tuple[dt.date, Precision] | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), Precision.DAY
    months = "|".join(_MONTHS)
    m = re.fullmatch(rf"({months})\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?", text) or re.fullmatch(
        rf"(\d{{1,2}})\s+({months})(?:,?\s+(\d{{4}}))?", text
    )
    if m:
        a, b, year = m.groups()
        month, day = (a, b) if a in _MONTHS else (b, a)
        y = int(year) if year else (published.year if published else None)
        if y is None:
            return None
        date = _safe_date(y, _MONTHS.index(month) + 1, int(day))
        if date and not year and published and forward and date < published:
            date = _safe_date(y + 1, date.month, date.day)
        elif date and not year and published and not forward \
                and date > published + dt.timedelta(days=_NEAR_AHEAD_DAYS if soon else 1):
            date = _safe_date(y - 1, date.month, date.day)
        return (date, Precision.DAY) if date else None
    m = re.fullmatch(rf"({months})(?:\s+(\d{{4}}))?", text)
    if m:
        year = int(m.group(2)) if m.group(2) else (published.year if published else None)
        if year is None:
            return None
        month = _MONTHS.index(m.group(1)) + 1
        if not m.group(2) and published and forward and month < published.month:
            year += 1
        elif not m.group(2) and published and not forward and month > published.month:
            year -= 1
        return dt.date(year, month, 1), Precision.MONTH
    if published is not None and re.search(r"[a-z]", text) and len(text) < 40:
        return _dateparser(text, published)
    return None


# With a sentence that points ahead only softly (``points_soon``), a day written without its
# year that falls less than this many days after publication is that coming day; one before
# publication stays in the publication year.
_NEAR_AHEAD_DAYS = 90


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _dateparser(text: str, published: dt.date) -> tuple[dt.date, Precision] | None:
    """Other relative phrases ("two days ago") through dateparser, relative to publication."""
    import dateparser  # slow import: only when the simple rules did not decide

    base = dt.datetime(published.year, published.month, published.day, 12)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": False,
                "REQUIRE_PARTS": []}
    found = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if found is None or (found.date() == published and "ago" not in text):
        return None
    if re.search(r"\b(?:years?|decades?)\b", text):  # "14 years ago": a year, not a day
        return found.date().replace(month=1, day=1), Precision.YEAR
    if re.search(r"\bmonths?\b", text):
        return found.date().replace(day=1), Precision.MONTH
    if re.search(r"\bweeks?\b", text):
        return found.date(), Precision.WEEK
    return found.date(), Precision.DAY


# --------------------------------------------------------------------------- names

_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|gen|col|sen|rep|sheikh|president|prime minister|minister|"
    r"lebanese legislator|legislator|lawmaker|special envoy|chief|the)\.?\s+)+",
    re.I,
)


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """Canonical key: accents folded, honorifics and punctuation removed, lower case."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _HONORIFICS.sub("", folded.strip())
    folded = re.sub(r"[’']s\b", "", folded)
    folded = re.sub(r"\bal[- ]", "", folded, flags=re.I)
    return " ".join(re.findall(r"[a-z0-9]+", folded.lower()))


@lru_cache(maxsize=1)
def _nicknamer():  # type: ignore[no-untyped-def]
    from nicknames import NickNamer  # the hand-curated English names/nicknames dataset

    return NickNamer()


@lru_cache(maxsize=4096)
def _same_given_name(a: str, b: str) -> bool:
    """'ben' ~ 'benjamin', 'bill' ~ 'william' (either way round)."""
    if a == b:
        return True
    nn = _nicknamer()
    return b in nn.nicknames_of(a) or a in nn.nicknames_of(b)


def names_compatible(a: str, b: str) -> bool:
    """'Sheha' ~ 'Ali Sheha'; 'Bashar al-Assad' ~ 'Bashar Assad'; 'Ben Jealous' ~ 'Benjamin
    Todd Jealous' (a nickname of the same given name, same surname)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if not short or short[-1] != long_[-1]:
        return False
    if all(t in long_ for t in short):
        return True
    # the given names differ only by a nickname: "ben jealous" / "benjamin todd jealous"
    return (len(short) >= 2 and all(t in long_ for t in short[1:])
            and _same_given_name(short[0], long_[0]))


STOPWORDS = frozenset("""a an the of in on at to for from by with and or but as is are was were be
been being that this these those it its their his her they he she who whom which what when where
after before into over under about than then there here some many most more other own same such
only also not no nor so very can will would could should may might must do does did has have
had""".split())


def content_stems(text: str) -> set[str]:
    """Content words of a text, lower case, stop words and words under 3 letters left out,
    one plural or verb ending cut ("killings", "killed" -> "kill")."""
    words = set()
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        if len(w) < 3 or w in STOPWORDS:
            continue
        for suffix in ("ings", "ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        words.add(w)
    return words


def text_key(text: str) -> list[str]:
    """Tokens of a quote for overlap comparison: case, punctuation and quote marks ignored."""
    return re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).lower())
