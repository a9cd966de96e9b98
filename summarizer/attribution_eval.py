"""Score quote finding and attribution against PolNeAR-format gold (one article at a time).

A case is ``{"id", "text", "gold": [{"start", "end", "text", "source", "coref_names"}]}``:
every quoted segment of a direct attribution, with its source as written and, where that
source is a pronoun or a description, the names CoreNLP linked it to (noisy: a guide).

- **quotes**: a predicted quote matches a gold segment when the word tokens they share are at
  least half of the longer one's tokens; pairs are assigned one-to-one, best overlap first.
  P = matched predictions / predictions, R = matched gold / gold.
- **speaker accuracy** over matched pairs whose gold speaker can be judged: the prediction
  is right when its surname (last word) is the last word of one of the gold forms and the
  words of one are contained in the other ("Obama" ~ "President Barack Obama"). The gold forms
  are the names written in the source (the source itself when it is a name; the name beside
  an appositive or after a role: "Tad Devine, a senior adviser on the Sanders campaign",
  "Republican party boss Reince Priebus"), plus the capitalised non-pronoun coreference
  names. A source that holds a name counts as *named*. A source with no gold form cannot be
  judged: when it refers to someone definite ("he", "the senator", "his spokesman", or the
  gold's source span is empty or just "said") it is only counted (*unjudged*: the gold does
  not say who); an indefinite or bare one ("officials said", "a spokesman", "sources") is
  *anonymous*, where the right answer is no name.
- **clean names**: the share of predicted speakers that read as a person or organisation
  name. Checked here by rules written apart from the attribution code (no day or month names,
  no full stop inside, no title or party word glued in front, no lowercase word but name
  particles, no pronoun or bare plural noun), so the figure cannot be met by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\w+(?:[’']\w+)*")
_PRONOUNS = {
    "he", "she", "they", "i", "we", "you", "it", "who", "him", "her", "them", "me", "us",
    "his", "hers", "their", "my", "our", "its", "himself", "herself", "themselves", "myself",
    "whom", "which", "that", "one", "this",
}
_TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "sen", "senator", "rep", "representative", "gov", "governor",
    "president", "vice", "secretary", "gen", "general", "the", "former", "presidential",
    "candidate", "nominee", "democrat", "democratic", "republican", "gop", "rev", "judge",
    "attorney", "speaker", "leader", "prof", "professor", "sheriff", "mayor", "chairman",
}
_DAYS_MONTHS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
}
_GLUED = {
    "president", "sen", "senator", "rep", "gov", "governor", "democrat", "republican",
    "mr", "mrs", "ms", "dr", "secretary", "candidate", "nominee", "former", "gen", "judge",
    "attorney", "speaker", "u.s", "vice", "presidential", "democratic", "gop",
}
_PARTICLES = {"de", "da", "van", "von", "al", "bin", "of", "for", "the", "and", "la", "le",
              "du", "del", "der", "di", "on", "in", "y", "ibn", "el", "st"}
_BARE_NOUNS = {"sources", "source", "officials", "official", "aides", "aide", "people",
               "experts", "critics", "supporters", "reports", "witnesses", "residents",
               "analysts", "advisers", "staff", "campaign", "spokesman", "spokeswoman"}


_ORGANISATION = re.compile(r"(?i)\b(?:bank|university|department|institute|council|committee"
                           r"|college|school|office|center|centre|church|house|board)\b")


# a source that refers to someone definite (a pronoun, "the senator", "his spokesman"): when
# the gold's coreference names nobody it cannot be judged, but it is not anonymous either
_REFERS = re.compile(r"(?i)^(?:he|she|they|it|i|we|you|who|that|which|him|her|them"
                     r"|(?:the|this|that|his|her|its|their|our|my)\s.+"
                     r"|said\b.*|)$")  # "said …", "": the gold's source span missed the name


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _name_words(name: str) -> list[str]:
    # "Sen. Bernie Sanders of Vermont, who ...": the name is what comes before "of Place"
    name = re.split(r",|\s+who\b|\s+\(", name)[0]
    person = re.match(r"(.*?\b[A-Z]\w+\s+[A-Z]\w+)\s+of\s+[A-Z]", name)
    if person and not _ORGANISATION.search(person.group(1)):
        name = person.group(1)
    words = [re.sub(r"[’']s$", "", w) for w in _tokens(name)]
    return [w for w in words if w and w not in _TITLE_WORDS]


def names_match(predicted: str | None, forms: list[str]) -> bool:
    """The prediction holds all the gold form's words (a fuller form: "Xi Jinping" for "Xi"),
    or the gold form holds all the prediction's words and they share the last word
    ("Obama" for "President Barack Obama")."""
    pred = _name_words(predicted or "")
    if not pred:
        return False
    for form in forms:
        gold = _name_words(form)
        if gold and (set(gold) <= set(pred) or (pred[-1] == gold[-1] and set(pred) <= set(gold))):
            return True
    return False


def source_kind(source: str) -> str:
    """named | pronoun | nominal, for a gold source as written."""
    words = source.split()
    if not words:
        return "nominal"
    if source.lower().strip() in _PRONOUNS:
        return "pronoun"
    rest = words[1:] if words[0].lower() in {"the", "a", "an"} else words
    if words[0][:1].isupper() and rest and all(w[:1].isupper() or w.lower() in _PARTICLES
                                                for w in rest):
        return "named"
    return "nominal"


_TRAILING_NAME = re.compile(r"(?<![\w’'])[a-z][\w’'-]*\s+((?:[A-Z][\w’'.-]*\s+){0,3}"
                            r"[A-Z][a-z][\w’'.-]*)$")


def source_names(source: str) -> list[str]:
    """The names written inside a gold source: the source itself when it is a name, else the
    name parts of a source with an appositive or a role ("Tad Devine, a senior adviser on the
    Sanders campaign" -> "Tad Devine"; "Sanders's campaign manager, Jeff Weaver," -> "Jeff
    Weaver"; "Republican party boss Reince Priebus" -> "Reince Priebus"). "Another delegate
    on the Cruz slate" and "Mrs. Clinton's campaign" hold none. Only the first name counts:
    the parts after it describe ("whose district includes Hyde Park")."""
    if source_kind(source) == "named":
        return [source]
    for part in re.split(r",|\s+\(|\s+(?:who|whose)\b|\s+[—–]\s+|\s+--\s+", source):
        part = part.strip()
        if not part:
            continue
        if source_kind(part) == "named" and not re.match(r"(?i)(?:the|a|an)\s", part):
            return [part]  # the first name only: later parts describe ("of Hyde Park")
        trailing = _TRAILING_NAME.search(part)
        if trailing:
            return [trailing.group(1)]
    return []


def gold_forms(item: dict) -> list[str]:
    """The names a gold speaker may be given: the names written in the source, plus named
    coreferents."""
    source = item.get("source") or ""
    forms = source_names(source)
    for name in item.get("coref_names") or []:
        words = name.split()
        if (words and name[:1].isupper() and name.lower().strip() not in _PRONOUNS
                and source_kind(name) == "named"):
            forms.append(name)
    return forms


def is_clean_name(name: str | None) -> bool:
    """A speaker string an editor would accept as a name."""
    if not name or not name.strip():
        return False
    if re.search(r"[!?;:—–\n\"“”]\s|[\n—–\"“”;:]|\d", name) or name != name.strip():
        return False
    for word in name.split()[:-1]:  # a full stop inside: initials and abbreviations only
        if word.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|Jr\.|Sr\.|St\.", word):
            return False
    if re.search(r"[’']s$|^[’'(]|,$|(?<!\bJr)(?<!\bSr)\.$", name):  # "Jesse Jackson Jr." is whole
        return False
    words = name.split()
    if len(words) > 7:
        return False
    lower = [w.lower().strip(".,") for w in words]
    if lower[0] in _GLUED or lower[0] in _PRONOUNS:
        return False
    if any(w in _DAYS_MONTHS for w in lower):
        return False
    if len(words) == 1 and lower[0] in _BARE_NOUNS:
        return False
    for w in words:
        if not (w[:1].isupper() or w.lower() in _PARTICLES or w.startswith(("al-", "el-"))):
            return False
    return True


@dataclass
class AttributionScore:
    """Counts over any number of cases; ratios derived (micro-average)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    judged: dict[str, int] = field(default_factory=lambda: {"named": 0, "pronoun/nominal": 0})
    right: dict[str, int] = field(default_factory=lambda: {"named": 0, "pronoun/nominal": 0})
    anonymous: int = 0
    anonymous_unnamed: int = 0
    unjudged: int = 0  # a pronoun or "the senator" whose coreference names nobody
    speakers: int = 0
    clean: int = 0
    unclean: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def add(self, other: AttributionScore) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        for k in self.judged:
            self.judged[k] += other.judged[k]
            self.right[k] += other.right[k]
        self.anonymous += other.anonymous
        self.anonymous_unnamed += other.anonymous_unnamed
        self.unjudged += other.unjudged
        self.speakers += other.speakers
        self.clean += other.clean
        self.unclean.extend(other.unclean)
        self.errors.extend(other.errors)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.judged)
        judged = sum(self.judged[k] for k in kinds)
        return sum(self.right[k] for k in kinds) / judged if judged else 1.0

    @property
    def clean_share(self) -> float:
        return self.clean / self.speakers if self.speakers else 1.0


def _token_positions(text: str, start: int, end: int) -> set[int]:
    return {m.start() for m in _TOKEN.finditer(text, start, end)}


def score_case(text: str, gold: list[dict],
               predicted: list[tuple[int, int, str | None]]) -> AttributionScore:
    """Score one article: ``predicted`` holds ``(start, end, speaker)`` per quote."""
    out = AttributionScore(gold=len(gold), predicted=len(predicted))
    gold_tokens = [_token_positions(text, g["start"], g["end"]) for g in gold]
    pred_tokens = [_token_positions(text, s, e) for s, e, _ in predicted]
    pairs = []
    for gi, gt in enumerate(gold_tokens):
        for pi, pt in enumerate(pred_tokens):
            shared = len(gt & pt)
            longer = max(len(gt), len(pt))
            if longer and shared / longer >= 0.5:
                pairs.append((-shared / longer, gi, pi))
    used_g, used_p = set(), set()
    for _, gi, pi in sorted(pairs):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.matched += 1
        item, speaker = gold[gi], predicted[pi][2]
        kind = "named" if source_names(item.get("source") or "") else "pronoun/nominal"
        forms = gold_forms(item)
        if not forms and _REFERS.match((item.get("source") or "").strip()):
            out.unjudged += 1  # "he", "the senator": someone, but the gold does not say who
            continue
        if not forms:
            out.anonymous += 1
            out.anonymous_unnamed += speaker is None
            if speaker is not None:
                out.errors.append({"kind": "anonymous", "quote": item["text"][:80],
                                   "gold": item.get("source"), "got": speaker})
            continue
        out.judged[kind] += 1
        ok = names_match(speaker, forms)
        out.right[kind] += ok
        if not ok:
            out.errors.append({"kind": "speaker", "quote": item["text"][:80],
                               "gold": item.get("source"), "forms": forms[:3], "got": speaker})
    for gi, item in enumerate(gold):
        if gi not in used_g:
            out.errors.append({"kind": "missed", "quote": item["text"][:80],
                               "gold": item.get("source")})
    for pi, (s, e, speaker) in enumerate(predicted):
        if pi not in used_p:
            out.errors.append({"kind": "extra", "quote": text[s:e][:80], "got": speaker})
        if speaker is not None:
            out.speakers += 1
            if is_clean_name(speaker):
                out.clean += 1
            else:
                out.unclean.append(speaker)
    return out
