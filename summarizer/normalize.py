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
}
_FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
              "a quarter": 0.25, "one quarter": 0.25}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "bn": 1e9, "m": 1e6}
_QUALIFIER_OF = {
    "more than": Qualifier.MORE_THAN, "over": Qualifier.MORE_THAN, "surpassed": Qualifier.MORE_THAN,
    "exceeded": Qualifier.MORE_THAN, "exceeding": Qualifier.MORE_THAN,
    "just over": Qualifier.MORE_THAN, "well over": Qualifier.MORE_THAN,
    "upwards of": Qualifier.MORE_THAN,
    "at least": Qualifier.AT_LEAST, "as many as": Qualifier.AT_MOST,
    "at most": Qualifier.AT_MOST, "up to": Qualifier.AT_MOST,
    "less than": Qualifier.LESS_THAN, "fewer than": Qualifier.LESS_THAN,
    "under": Qualifier.LESS_THAN, "just under": Qualifier.LESS_THAN,
    "almost": Qualifier.APPROX, "nearly": Qualifier.APPROX, "close to": Qualifier.APPROX,
    "about": Qualifier.APPROX, "around": Qualifier.APPROX, "roughly": Qualifier.APPROX,
    "approximately": Qualifier.APPROX, "some": Qualifier.APPROX,
    "an estimated": Qualifier.APPROX, "estimated": Qualifier.APPROX,
}
# "almost"/"nearly"/"just under" approach from below; the rest straddle the value.
_BELOW = {"almost", "nearly", "just under"}
APPROX_TOLERANCE = 0.05


def parse_number(text: str) -> tuple[float, float, str | None] | None:
    """``"1,000"`` -> (1000, 1000, None); ``"dozens"`` -> (24, 99, None); ``"$5.7 billion"`` ->
    (5.7e9, 5.7e9, "USD"); ``"45%"`` -> (45, 45, "%"). ``None`` when it is not a number."""
    raw = " ".join(text.lower().replace("-", " ").split())
    unit = None
    for sym, code in (("$", "USD"), ("€", "EUR"), ("£", "GBP")):
        if raw.startswith(sym):
            raw, unit = raw[1:].strip(), code
    if raw.endswith("%") or raw.endswith("percent") or raw.endswith("per cent"):
        raw, unit = re.sub(r"\s*(?:%|percent|per cent)$", "", raw), "%"
    if raw in _VAGUE:
        low, high = _VAGUE[raw]
        return low, high, unit
    if raw in _FRACTIONS:
        return _FRACTIONS[raw], _FRACTIONS[raw], "fraction"
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*(hundred|thousand|million|billion|trillion|bn|m)?", raw)
    if m:
        value = float(m.group(1).replace(",", "")) * _SCALE.get(m.group(2) or "", 1)
        return value, value, unit
    m = re.fullmatch(r"a (hundred|thousand|million|billion)", raw)
    if m:
        return _SCALE[m.group(1)], _SCALE[m.group(1)], unit
    words = raw.replace(" and ", " ")
    try:
        value = float(text2num(words, "en"))
    except ValueError:
        return None
    return value, value, unit


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
    if vague and kind == Qualifier.EXACT:
        kind = Qualifier.APPROX
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


def resolve_date(
    expression: str | None,
    published: dt.date | None,
    *,
    anchor: dt.date | None = None,
) -> tuple[dt.date | None, Precision]:
    """Resolve a time expression as written against the publication date.

    "Thursday" -> the last Thursday on or before publication; "the day before" -> anchor - 1
    (anchor: the date of the event it is relative to, else publication); "March 6" -> that day in
    the publication year; "early December" -> month precision. Unresolvable -> (None, UNKNOWN).
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
    if text.startswith("week") or "last week" in expression.lower():
        return (published - dt.timedelta(days=7), Precision.WEEK) if published else (
            None, Precision.UNKNOWN)
    for i, day in enumerate(_WEEKDAYS):
        if re.fullmatch(rf"{day}", text):
            if published is None:
                return None, Precision.UNKNOWN
            back = (published.weekday() - i) % 7
            return published - dt.timedelta(days=back), Precision.DAY
    parsed = _parse_absolute(text, published)
    if parsed is not None:
        return parsed
    return None, Precision.UNKNOWN


def _parse_absolute(text: str, published: dt.date | None) -> tuple[dt.date, Precision] | None:
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
        if date and not year and published and date > published + dt.timedelta(days=1):
            date = _safe_date(y - 1, date.month, date.day)
        return (date, Precision.DAY) if date else None
    m = re.fullmatch(rf"({months})(?:\s+(\d{{4}}))?", text)
    if m:
        year = int(m.group(2)) if m.group(2) else (published.year if published else None)
        if year is None:
            return None
        month = _MONTHS.index(m.group(1)) + 1
        if not m.group(2) and published and month > published.month:
            year -= 1
        return dt.date(year, month, 1), Precision.MONTH
    if published is not None and re.search(r"[a-z]", text) and len(text) < 40:
        return _dateparser(text, published)
    return None


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


def names_compatible(a: str, b: str) -> bool:
    """'Sheha' ~ 'Ali Sheha'; 'Bashar al-Assad' ~ 'Bashar Assad'."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(short) >= 1 and short[-1] == long_[-1] and all(t in long_ for t in short)


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
