"""Who said a quote, read from the sentence by code: cues, names, pronouns and follow-on quotes.

The article is read once (:class:`Reader`): proper-name mentions outside quotation marks, with
the titles and roles written before them split off ("Texas Sen. Ted Cruz" -> "Ted Cruz", role
"Texas Sen."; "Trump attorney Alan Garten" -> "Alan Garten"), grouped into entities by surname
and first name so that every mention maps to the longest full form the article gives
("Mattis" -> "Jim Mattis"). Then, for each quoted span, in order:

1. **a cue in its own sentence**: the subject of a speech verb after the quote ("“…,” Trump
   said", "“…,” said Bart Naylor, financial policy advocate for Public Citizen") or before it
   ("Trump told reporters: “…”", "according to the senator", "Cruz called the KKK “abhorrent”"),
   or a "Name: “…”" lead-in;
2. **a cue in the paragraph**: the nearest speech verb of a neighbouring sentence of the same
   paragraph when this one has none ("“…” It was, he said, …");
3. **a follow-on quote**: a sentence or paragraph that is all quotation, with no verb of its own,
   takes the speaker of the quote just before it; a paragraph introduced by a colon ("Here's
   Clinton in 1992:") takes the name before the colon.

A subject that is a pronoun ("he", "she") resolves to the nearest person named before the cue
outside quotation marks whose pronouns fit (learnt from the article: a "he" right after a
name votes for it); a definite description ("the senator", "the billionaire") to the nearest
person whose title or role shares its head noun, else to the nearest person; an indefinite one
("a spokesman", "sources", "one adviser") stays unnamed, its words kept as the role. A name
never runs across a full stop, and a name inside the quotation is never a candidate.

Whether a quoted span is a direct quote at all is decided here too (:func:`is_direct`): titles
of shows and works, headlines in Title Case, identifiers, and short scare quotes with no
speech verb near them are not.

Pure functions over text; no model, no third-party NLP (spaCy's small English pipeline was
measured at 120-220 ms of CPU per PolNeAR article here, twice to four times the whole budget
for attribution, and these cues are read as well from the surface).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from summarizer.budget import check_deadline
from summarizer.models import Candidates, QuoteCandidate

# --------------------------------------------------------------------------- vocabulary

VERBS = (
    r"said|says|say|told|tells|tell|added|adds|wrote|writes|tweeted|tweets|asked|asks"
    r"|replied|replies|responded|responds|stated|states|explained|explains|noted|notes"
    r"|declared|declares|announced|announces|argued|argues|insisted|insists|warned|warns"
    r"|continued|continues|recalled|recalls|joked|jokes|quipped|boasted|boasts|admitted"
    r"|admits|acknowledged|acknowledges|conceded|concedes|predicted|predicts|complained"
    r"|complains|cautioned|emphasized|stressed|observed|remarked|countered|counters|posted"
    r"|testified|claimed|claims|suggested|suggests|urged|urges|promised|promises|vowed"
    r"|vows|pledged|recounted|shouted|yelled|exclaimed|concluded|concludes|agreed|agrees"
    r"|charged|alleged|maintained|contended|mused|offered|wondered|blasted|scoffed|chimed"
    r"|reiterated|reported|reports|quoted|saying|telling|adding|writing|tweeting|asking"
    r"|noting|arguing|declaring|calling|called|calls|described|describes|describing|dubbed"
    r"|labeled|labelled|branded|termed|referred|refers|referring|slammed|praised"
    r"|criticized|criticised|denounced|accused|accuses|accusing|thundered|sighed|beamed|whispered"
    r"|labeling|labelling|thanked|thanks|thanking|mocked|mocking|attacked|attacking|defended"
    r"|defending|touted|touting|hailed|lamented|lauded|recommended|demanded|demands|questioned"
    r"|posited|opined|proclaimed|asserted|reasoned|expressed|expresses|voiced|commented|comments|answered|answers|pressed|presses|interjected|snapped|retorted|shot\s+back|fired\s+back"
    r"|quoting|quotes|explaining|insisting|warning|recalling|responding|replying|stating"
    r"|issued\s+a\s+statement|pointed\s+out|went\s+on|was\s+quoted\s+as\s+saying|was\s+heard\s+saying"
    r"|exhorted|reacted|marveled|marvelled|gushed|fumed|groused|griped|grumbled|cracked|teased"
    r"|assured|assures|reassured|bragged|retaliated|ventured"
)
# Verbs whose subject says the quoted words only when they follow soon after ("called X “…”")
_NAMING_VERBS = re.compile(
    r"(?i)\b(?:call(?:ed|s|ing)?|described?|describ(?:es|ing)|dubbed|label(?:l?ed)|branded"
    r"|termed|referr(?:ed|ing)|refers|slammed|praised|criticized|criticised|denounced"
    r"|accuse[ds]|accusing|promise[ds]?|vow(?:ed|s)?|pledged|urged|label(?:l?ing)|thank(?:ed|s|ing)"
    r"|mock(?:ed|ing)|attack(?:ed|ing)|defend(?:ed|ing)|tout(?:ed|ing)|hailed|lamented|lauded"
    r"|recommended|demand(?:ed|s)|questioned|express(?:ed|es)|voiced|(?:re)?assure[ds])\b"
)
# lowercase ("States" in "United States" is no verb), but for a few that open a sentence
_VERB_RE = re.compile(rf"(?<![\w-])(?:{VERBS}|Tweeted|Said|Says|Wrote|Added|Asked)\b")
# verbs whose subject may follow them ("…,” said Bart Naylor); "told X" names the listener
_INVERTING = re.compile(
    r"(?:said|says|added|adds|wrote|writes|asked|asks|continued|recalled|explained|noted"
    r"|tweeted|replied|responded|argued|insisted|warned|declared|quipped|joked|remarked"
    r"|observed|countered|concluded|stated|mused|exhorted|reacted|marveled|marvelled|gushed"
    r"|fumed|groused|griped|grumbled|cracked|teased|boasted|admitted|conceded|complained"
    r"|cautioned|stressed|emphasized|acknowledged|exclaimed|shouted|recounted|predicted"
    r"|Said|Says|Added|Wrote)$")
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+")
_STATEMENT = re.compile(
    r"\b(?:in\s+(?:a|an|his|her|their|the)\s+(?:\w+\s+){0,2}(?:statement|interview|tweet|post"
    r"|letter|email|op-ed|speech|memo|video|release)|in\s+remarks)\b"
)

# Title and role words that stand before a name and are not part of it.
_TITLE_WORDS = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sen", "senator", "rep", "envoy",
    "representative", "gov", "governor", "lt", "president", "vice", "secretary", "minister",
    "ambassador", "speaker", "adviser", "advisor", "director", "chairman", "chairwoman",
    "chair", "judge", "justice", "general", "gen", "col", "colonel", "capt", "captain", "sgt",
    "sergeant", "mayor", "commissioner", "chief", "ceo", "spokesman", "spokeswoman",
    "spokesperson", "rev", "reverend", "pope", "king", "queen", "prince", "princess",
    "leader", "congressman", "congresswoman", "councilman", "councilwoman", "sheriff",
    "officer", "detective", "reporter", "correspondent", "anchor", "host", "candidate",
    "journalist", "columnist", "commentator", "editor", "historian",
    "nominee", "founder", "deputy", "manager", "strategist", "pollster", "analyst",
    "economist", "lawyer", "attorney", "delegate", "former", "republican", "democrat",
    "democratic", "gop", "independent", "libertarian", "conservative", "liberal",
    "presidential", "hopeful", "front-runner", "frontrunner", "businessman", "businesswoman",
    "billionaire", "mogul", "star", "actor", "actress", "comedian", "singer", "rapper",
    "author", "activist", "executive", "commentator", "columnist", "editor", "writer",
    "cardinal", "archbishop", "bishop", "rabbi", "imam", "sheikh", "sir", "dame", "lord",
    "lady", "premier", "chancellor", "magnate", "tycoon", "superintendent", "inspector",
    "pastor", "father", "sister", "brother", "aide", "staffer", "treasurer", "whip",
    "majority", "minority", "assemblyman", "assemblywoman", "attorney-general",
    "president-elect", "first", "then", "acting", "interim", "u.s", "u.n", "house",
    "senate", "state", "white", "press", "chief-of-staff",
    # lowercase roles written before a name ("Obama consultant Cornell Belcher", "Baniyas
    # resident Ali Sheha")
    "consultant", "operative", "surrogate", "official", "researcher", "scholar", "scientist",
    "lobbyist", "organizer", "donor", "fundraiser", "coach", "physician", "surgeon", "doctor",
    "nurse", "teacher", "student", "veteran", "resident", "owner", "employee",
}
# Of the above, those that may also end an organisation's or place's name ("White House").
_NAME_TAIL_OK = {"house", "senate", "state", "press"}
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "lt", "gen", "col", "capt", "sgt", "rev",
    "prof", "st", "jr", "sr", "u.s", "u.n", "u.k", "d.c", "inc", "co", "corp", "ft", "mt",
    "no", "vs", "e.u", "n.y", "r", "d", "i",
}
_PARTICLES = {"de", "da", "van", "von", "bin", "ibn", "der", "den", "del", "della", "la",
              "le", "du", "di", "dos", "y"}
_NAME_LINKS = {"of", "for", "the", "&"}  # inside organisation names
# the last word of a place's name ("South China Sea", "Pearl Harbor", "Rocky Mountains")
_GEO_HEADS = {"sea", "ocean", "river", "lake", "bay", "gulf", "strait", "straits", "harbor",
              "harbour", "island", "islands", "mountain", "mountains", "valley", "peninsula",
              "desert", "canal", "coast", "county", "province", "heights", "strip"}
_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_NOT_NAMES = _DAYS | _MONTHS | {
    "the", "a", "an", "this", "that", "these", "those", "it", "in", "on", "at", "as", "but",
    "and", "or", "so", "if", "when", "while", "after", "before", "since", "meanwhile",
    "however", "also", "then", "now", "yet", "still", "there", "here", "his", "her", "their",
    "our", "my", "your", "its", "we", "i", "he", "she", "they", "you", "what", "who", "why",
    "how", "where", "which", "one", "some", "many", "most", "all", "both", "each", "other",
    "another", "no", "not", "yes", "for", "from", "with", "by", "to", "of", "under", "over",
    "among", "during", "photo", "read", "watch", "video", "update", "updated", "editor",
    "note", "related", "advertisement", "click", "today", "tonight", "yesterday", "tomorrow",
    "last", "next", "earlier", "later", "asked", "said", "says", "just", "even", "only",
    "like", "instead", "again", "sources", "officials", "people", "americans", "democrats",
    "republicans", "voters", "critics", "supporters", "reporters", "analysts", "experts",
    "aides", "advisers", "advisors", "staffers", "witnesses", "residents", "protesters",
    "organizers", "investigators", "prosecutors", "lawmakers", "economists", "doctors",
    "police", "authorities", "observers", "insiders", "allies", "friends", "neighbors",
    "twitter", "facebook", "instagram", "youtube", "reddit", "despite", "although", "though",
    "because", "unlike", "following", "speaking", "according", "nobody", "everyone", "someone",
    "anyone", "nothing", "everything", "perhaps", "maybe", "indeed", "whether", "until",
    "unless", "once", "whatever", "whoever", "thanks", "without", "within", "about", "against",
    "through", "throughout", "toward", "towards", "upon", "via", "amid", "except", "besides",
}
_ROLE_LEAD = re.compile(r"(?:The\s+)?(?:[A-Z][\w’'.-]*\s+)*(?:[A-Z][\w’'.-]*|of|for|the|to|d’\w+"
                        r"|[a-z]+)(?:\s+(?:[A-Z][\w’'.-]*|of|for|the|to|[a-z’]+)){0,8},\s*")
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f",
                     "king": "m", "queen": "f", "prince": "m", "princess": "f", "lord": "m",
                     "lady": "f", "congressman": "m", "congresswoman": "f", "father": "m",
                     "sister": "f", "brother": "m", "spokesman": "m", "spokeswoman": "f",
                     "chairman": "m", "chairwoman": "f", "businessman": "m",
                     "businesswoman": "f", "actor": "m", "actress": "f"}
_ORG_WORDS = re.compile(
    r"(?i)\b(?:ministry|government|observatory|agency|group|council|committee|union|office"
    r"|department|army|forces|police|organi[sz]ation|party|commission|court|embassy|monitor"
    r"|association|institute|company|bank|authority|authorities|nations|ngo|campaign|news"
    r"|times|post|journal|press|network|foundation|center|centre|university|college|school"
    r"|corporation|corp|inc|bureau|administration|board|coalition|federation|league|pac"
    r"|fund|house|senate|congress|caucus|review|magazine|tribune|herald|daily|weekly|radio"
    r"|television|tv|channel|media|club|society|project|service|services|institution"
    r"|alliance|movement|church|republic|state|states|kingdom|federal|county|city)\b"
)
_ACRONYM = re.compile(r"^[A-Z][A-Z&.]{1,6}$")
# "Name, a truck driver from Ava, Mo., who backs Mr. Trump, said": commas inside the appositive
_LONG_APPOSITIVE = re.compile(rf",\s+(?:an?|the|who|whose|[a-z]+|\d+)\b[^“”\"\n]{{3,220}}?,\s+"
                              rf"(?:also\s+|later\s+|then\s+)?(?:{VERBS})\b")
# a name right after these closes a phrase ("a supporter of Mr. Trump, said"): not a subject
_COMPLEMENT = re.compile(r"(?i)\b(?:of|to|for|with|from|at|against|about|than|like)"
                         r"(?:\s+the)?(?:\s+(?-i:(?:then-|ex-)?[A-Z][a-z]+\.?))?\s+$")
# a full stop that ends an abbreviation inside an opening phrase ("in Beaumont, Tex.,")
_ABBREVIATION_STOP = (r"(?:(?<=\b[A-Z])|(?<=\b[A-Z][a-z])|(?<=\b[A-Z][a-z]{2})"
                      r"|(?<=\b[A-Z][a-z]{3})|(?<=\b[A-Z][a-z]{4}))\.")
_INTRO_LEAD = re.compile(r"(?:In|At|On|After|Before|During|Later|Earlier|Asked|Speaking|Since"
                         r"|When|While|Last|This|Meanwhile|Still|But|And|Yet|Instead|Now|Then"
                         r"|Today|Yesterday|Afterward|Separately|Elsewhere|The\s+day\s+before"
                         rf"|The\s+next\s+day)\b(?:[^.;:!?“”\"]|{_ABBREVIATION_STOP}){{0,120}},\s*"
                         r"(?:Mr\.|Mrs\.|Ms\.|Dr\.)?\s*")
_VERB_AFTER = re.compile(r"(?:[’']s\b)?\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|[a-z]+[^s\W]s|has|had|was|is"
                         r"|will|would|said|told|says|made|took|gave|spoke|wrote|went|came"
                         r"|met|ran|began|won|lost|sent|held|kept|left|put|set|saw|got)\b")
# "in Aurora, Colorado, in July 2012, said": the second half of a "City, State" is a place too
# (only where a comma follows the name: "At Trump Tower, Conway said" is a subject)
_CITY_STATE = re.compile(r"\b(?:in|at|from|near)\s+(?:[A-Z][\w.]*\s+){0,2}[A-Z][\w.]*,\s+$")
_OBJECT_OF = re.compile(r"\b(?:in|at|of|from|with|near|into|across|throughout|toward|towards)"
                        r"(?:\s+the)?\s+$")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|across|throughout|near|into|visit(?:ed|ing)?|toward|towards)\s+"
    r"(?:the\s+)?)$")
_ROLE_HEAD_WORDS = (
    r"\b(?:senator|governor|congressman|congresswoman|secretary|president|candidate"
    r"|nominee|spokes(?:man|woman|person)|billionaire|businessman|businesswoman|mogul|judge"
    r"|mayor|minister|ambassador|director|chairman|chairwoman|leader|speaker|lawyer"
    r"|attorney|adviser|advisor|aide|official|officer|general|chief|founder|executive"
    r"|candidate|republican|democrat|reporter|anchor|host|author|writer|activist|pastor"
    r"|former\s+\w+|tycoon|star|actor|actress|comedian|lawmaker|legislator|representative"
    r"|strategist|pollster|commentator|columnist|economist|analyst|professor|expert"
    r"|businessman|magnate|front-runner|frontrunner|hopeful|veteran|rival|opponent|challenger"
    r"|incumbent|mother|father|son|daughter|wife|husband|woman|man|pope|king|queen|prince)s?\b"
)
_ROLE_HEADS = re.compile(rf"(?i){_ROLE_HEAD_WORDS}")
_ROLE_HEAD_END = re.compile(rf"{_ROLE_HEAD_WORDS}$")
_ROLE_NOUN_AFTER = re.compile(rf"\s+(?:[a-z][\w-]*\s+){{0,2}}?{_ROLE_HEAD_WORDS}")
# ", a black Republican campaign consultant", ", the highest-ranking pollster": what a person is
_PERSON_APPOSITIVE = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,5}?(?:senator|governor|congress(?:wo)?man|secretary"
    r"|president|candidate|nominee|spokes(?:man|woman|person)|businessman|businesswoman|judge"
    r"|mayor|minister|ambassador|director|chairman|chairwoman|leader|lawyer|attorney|adviser"
    r"|advisor|aide|officer|founder|executive|reporter|anchor|host|author|writer|activist"
    r"|pastor|lawmaker|legislator|representative|strategist|pollster|commentator|columnist"
    r"|economist|analyst|professor|consultant|operative|researcher|scholar|scientist|lobbyist"
    r"|organizer|donor|coach|physician|doctor|nurse|teacher|student|veteran|resident|owner"
    r"|employee|mother|father|son|daughter|wife|husband|woman|man|actor|actress|comedian"
    r"|singer|journalist|historian|editor|partner|retiree|voter|supporter|critic)\b")
_TITLE_TO_ROLE = {"sen": "senator", "gov": "governor", "rep": "representative",
                  "gen": "general", "dr": "doctor", "rev": "reverend", "prof": "professor",
                  "lt": "lieutenant"}
_DEFINITE = re.compile(r"(?i)^(?:the|this|that)\s")
# what opens a subordinate clause right before its subject ("only because Mr. Lynch agreed")
_SUBORDINATOR = re.compile(r"\b(?:because|although|though|unless|until|whereas|while|after"
                           r"|before|when|if|since)\s+$")
_INDEFINITE = re.compile(
    r"(?i)^(?:an?|one|another|some|several|two|three|many|other|sources?|officials?|aides?"
    r"|people|critics|supporters|advisers|experts|analysts|observers|insiders|reporters)\b")

_TOKEN = re.compile(r"[A-Za-z0-9][\w’'.&-]*")
_QUOTE_CHARS = "“”\"‘’'«»„"


# --------------------------------------------------------------------------- names


def _is_name_word(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word.startswith(("al-", "el-", "bin-")))


def _bare(word: str) -> str:
    return re.sub(r"[’']s$", "", word.rstrip(".,:;")).rstrip(".,:;").lower()


def _ends_sentence(word: str) -> bool:
    """A word whose full stop ends a sentence (not 'Sen.', 'U.S.', 'J.')."""
    if not word.endswith("."):
        return False
    core = word[:-1].lower()
    return not (core in _ABBREVIATIONS or re.fullmatch(r"[a-z]", core)
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", core))


@dataclass(frozen=True)
class Name:
    """A proper name as written at ``start``..``end``, with the role words before it."""

    start: int
    end: int
    text: str  # the name itself: "Ted Cruz"
    role: str | None  # "Texas Sen.", "Trump attorney"
    kind: str  # person | organisation | unknown
    gender: str | None = None  # from an honorific: "m", "f"


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "former", "ex"}
# organisation words that also end a title or an outlet's name ("Former House Speaker",
# "Washington Post White House reporter"): not heads that pull a title into a name
_NOT_ORG_HEADS = {"house", "post", "news", "times", "press", "journal", "daily", "weekly",
                  "radio", "review", "magazine", "tribune", "herald", "senate", "congress"}


def _is_title(word: str) -> bool:
    """'Sen.', 'Secretary', 'Secretary-Treasurer', 'co-host': a title word."""
    bare = re.sub(r"^(?:co|ex)-", "", _bare(word))
    return (bare in _TITLE_WORDS or word.lower().rstrip(".") in _TITLE_WORDS
            or ("-" in bare and all(p in _TITLE_WORDS for p in bare.split("-") if p)))


# offices a person is addressed by ("Mr. President", "Madam Speaker"): not a surname
_ADDRESSED = {"president", "speaker", "chairman", "chairwoman", "secretary", "mayor",
              "ambassador", "vice", "chair", "senator", "governor", "minister"}


def split_name(words: list[str]) -> tuple[list[str], list[str]]:
    """Role/title words before a name, and the name: ['Texas', 'Sen.', 'Ted', 'Cruz'] ->
    (['Texas', 'Sen.'], ['Ted', 'Cruz']). The name is what follows the last title word."""
    last_title = -1
    for i, w in enumerate(words[:-1]):
        if _is_title(w):
            last_title = i
    # "Secretary of State Hillary Clinton": "of State" belongs to the title
    i = last_title + 1
    while last_title >= 0 and i < len(words) - 1 and words[i].lower() in {"of", "for"}:
        i += 2
        last_title = i - 1
    role, name = words[: last_title + 1], words[last_title + 1 :]
    if role and name and _ORG_WORDS.fullmatch(name[-1].rstrip(".,")) and "of" not in words \
            and name[-1].lower().rstrip(".,") not in _NOT_ORG_HEADS \
            and all(w[:1].isupper() and w.lower() not in _HONORIFICS
                    and (not w.endswith(".") or re.fullmatch(r"(?:[A-Z]\.){2,}", w))  # U.S.
                    for w in role):
        # "Democratic National Committee", "Republican Party": a title-like word in front of
        # an organisation's head noun is part of its name
        role, name = [], words
    while name and (name[0].lower() in _NAME_LINKS or _bare(name[0]) in _NOT_NAMES):
        role, name = [*role, name[0]], name[1:]
    while name and (name[-1].lower() in _NAME_LINKS or _bare(name[-1]) in _DAYS | _MONTHS):
        name = name[:-1]
    return role, name


def _kind(words: list[str], role: list[str]) -> str:
    text = " ".join(words)
    if _ORG_WORDS.search(text) or (len(words) == 1 and _ACRONYM.match(words[0].rstrip("’'s"))):
        return "organisation"
    if role and any(_bare(w) in _TITLE_WORDS for w in role):
        return "person"
    return "unknown"


def _given_name_at(name: list[str]) -> int:
    """Where a person's name starts inside a longer capitalised run whose head words are
    a role ("Public Advocate Trish James" -> 2), or 0: the word before the surname is a
    given name, the run's first word is none ("Martin Luther King"), and no organisation
    word is in the last two."""
    if len(name) < 3 or any(_ORG_WORDS.fullmatch(_bare(w)) for w in name[-2:]):
        return 0
    names = _first_names()
    if _bare(name[-2]) not in names or not name[-1][:1].isupper():
        return 0
    head = name[:-2]
    if _bare(head[0]) in names or any(re.fullmatch(r"[A-Z]\.", w) or w.lower() in _NAME_LINKS
                                       or w.lower() in _PARTICLES for w in head):
        return 0
    return len(head)


def _given_then_surname(words: list[str]) -> bool:
    """'Jeffrey Lewis', 'George W. Bush': a common given name first, then capitalised words
    none of which is an organisation's."""
    return (1 < len(words) <= 4 and _bare(words[0]) in _first_names()
            and all(w[:1].isupper() and not _ORG_WORDS.fullmatch(_bare(w)) for w in words))


def _name_from_run(text: str, run: list[re.Match[str]]) -> Name | None:
    words = [m.group(0) for m in run]
    words[-1] = re.sub(r"[’']s$|(?<=s)[’']$", "", words[-1]).rstrip(".,") or words[-1]
    role, name = split_name(words)
    given = _given_name_at(name)
    if given:
        # "New York City Public Advocate Trish James": capitalised role words before a given
        # name and a surname are the role
        role, name = [*role, *name[:given]], name[given:]
    # "Elijah Cummings of Maryland": a person's name ends before "of Place"
    honorific = bool(role) and _bare(role[-1]) in {"mr", "mrs", "ms", "miss", "dr"}
    if name and "of" in name[1 if honorific else 2 :] and (
            honorific or not _ORG_WORDS.search(" ".join(name))
            or ("of" in name[2:] and _given_then_surname(name[: name.index("of", 2)]))):
        # ... and "Mr. Burman of the Tax Policy Center", "Jeffrey Lewis of the James Martin
        # Center": the person, not an organisation
        cut = name.index("of", 1 if honorific else 2)
        run = run[: len(role) + cut]
        words = words[: len(role) + cut]
        name = name[:cut]
    if not name or len([w for w in name if w.lower() not in _NAME_LINKS]) > 5:
        return None  # nothing left, or a headline in Title Case rather than a name
    if len(name) == 1 and _bare(name[0]) in _TITLE_WORDS and not (
            role and _bare(role[-1]) in {"mr", "mrs", "ms", "miss", "dr"}
            and _bare(name[0]) not in _ADDRESSED and name[0][:1].isupper()):
        return None  # "the Republican", "Senator"; but "Mr. King" is a surname
    if re.fullmatch(r"[RDI]-[A-Z][\w.]*", name[0]):
        return None  # a party tag: "(R-Fla.)"
    owner = max((k for k, w in enumerate(name[:-2]) if re.search(r"[’']s$", w)), default=None)
    if owner is not None:
        # "The Blaze’s Matt Walsh", "Tuttle’s editor Ian Tuttle": the owner goes with the role
        role = [*role, *name[: owner + 1]]
        name = name[owner + 1 :]
    if len(name) >= 2 and re.search(r"[’']s$", name[-2]) and name[-1] in _PLATFORMS:
        name = name[:-1]  # "Trump’s Twitter account": the account's owner
    offset = len(role)
    last = offset + len(name) - 1
    start = run[offset].start()
    end = run[last].start() + len(re.sub(r"[’']s$|(?<=s)[’']$", "", words[last]).rstrip(".,:;")
                                   or words[last])
    if text[end : end + 1] == "." and _bare(words[last]) in {"jr", "sr"}:
        end += 1  # "Jesse Jackson Jr." keeps the full stop of its suffix
    name_text = " ".join(text[start:end].rstrip(",").split())  # "Newt\xa0Gingrich" too
    if not re.search(r"[A-Za-z]{2}", name_text) or _bare(name_text) in _NOT_NAMES:
        return None
    gender = None
    for w in role:
        gender = _HONORIFIC_GENDER.get(_bare(w), gender)
    role_text = text[run[0].start() : run[offset - 1].end()].rstrip(",") if role else None
    return Name(start=start, end=end, text=name_text, role=role_text,
                kind=_kind(name, role), gender=gender)


def names_in(text: str, start: int, end: int) -> list[Name]:
    """Proper-name mentions in ``text[start:end]``: runs of capitalised words (with name
    particles, initials and 'of/for/the' inside organisation names), cut at full stops,
    titles split off."""
    out: list[Name] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        while run and run[-1].group(0).lower() in _NAME_LINKS:
            run.pop()
        if run:
            name = _name_from_run(text, run)
            if name is not None:
                out.append(name)
        run.clear()

    prev_end = start
    for m in _TOKEN.finditer(text, start, end):
        word = m.group(0)
        gap = text[prev_end : m.start()]
        joined = bool(run) and gap in (" ", "\u00a0")
        if run and not joined:
            flush()
        is_link = bool(run) and word.lower() in _NAME_LINKS | _PARTICLES
        # "Fox News host Glenn Beck", "Trump attorney Alan Garten": a lowercase title word
        # between names belongs to the role that split_name cuts off
        is_link = is_link or (bool(run) and word.islower() and _is_title(word) and re.match(
            r"[ \u00a0][A-Z]", text[m.end() : m.end() + 2]) is not None)
        if _is_name_word(word) or is_link:
            if word[0].isupper() and _bare(word) in _NOT_NAMES and not run:
                prev_end = m.end()
                continue  # "The", "Sunday", "He" do not start a name
            run.append(m)
            if _ends_sentence(word) or word.endswith(","):
                flush()
        elif run:
            flush()
        prev_end = m.end()
    flush()
    return out


# --------------------------------------------------------------------------- article reader


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    """Common given names: f or m when borne by at least 95 % women or men, x otherwise
    (``data/first_names.tsv``, from nomquamgender's MIT-licensed registry counts; see
    ``scripts/build_first_names.py``)."""
    table = resources.files("summarizer").joinpath("data", "first_names.tsv")
    return dict(line.split("\t") for line in table.read_text(encoding="utf-8").splitlines() if line)


def _first_name_gender(name: str) -> str | None:
    """'f' for "Tammy Baldwin", 'm' for "Chuck Schumer", None for "Kelly Ayotte" or "Trump"."""
    words = name.split()
    if len(words) < 2:
        return None
    gender = _first_names().get(words[0].lower())
    return gender if gender in ("f", "m") else None


@dataclass
class Entity:
    canonical: str
    kind: str
    votes: dict[str, int] = field(default_factory=lambda: {"m": 0, "f": 0})
    roles: list[str] = field(default_factory=list)
    person_evidence: int = 0
    place_evidence: int = 0
    mentions: int = 0

    @property
    def gender(self) -> str | None:
        m, f = self.votes["m"], self.votes["f"]
        if m > f:
            return "m"
        if f > m:
            return "f"
        return _first_name_gender(self.canonical)

    @property
    def is_person(self) -> bool:
        if self.kind == "organisation":
            return False
        if self.person_evidence > self.place_evidence:
            return True
        # a full name ("Glenn Beck") met again by its surname, never in a place context
        return (self.place_evidence == 0 and len(self.canonical.split()) >= 2
                and self.mentions >= 2)


@dataclass
class Mention:
    start: int
    end: int
    entity: Entity
    name: Name
    subject: bool = False  # opens its sentence, or is the subject of a speech verb


@dataclass(frozen=True)
class Attribution:
    """Who said a quote, as code reads it."""

    speaker: str | None  # canonical full name, or None when the article names nobody
    as_written: str | None  # the words of the cue: "Mattis", "he", "a senior official"
    role: str | None
    how: str  # which cue: "after", "before", "colon", "paragraph", "follows Q3", "none"
    direct: bool
    confident: bool  # a same-sentence cue with a name or a resolved pronoun


class Reader:
    """One article's names, entities and quotation ranges, read once."""

    def __init__(self, text: str, sentences: tuple[tuple[int, int], ...],
                 quotes: tuple[tuple[int, int], ...]) -> None:
        self.text = text
        self.sentences = [_Span(a, b) for a, b in sentences]
        self._sent_starts = [s.start for s in self.sentences]
        self.quoted = _quoted_ranges(text, quotes)
        self._quoted_starts = [a for a, _ in self.quoted]
        self._quoted_max_end: list[int] = []  # running maximum of the ends, for overlap search
        for _, b in self.quoted:
            self._quoted_max_end.append(max(b, self._quoted_max_end[-1])
                                        if self._quoted_max_end else b)
        # the text with every quotation blanked out (a comma that closed it kept): what is
        # said of a name is read from it ("Mr. Scott, who has called the comments ''racially
        # toxic,'' portrayed …": the appositive ends at the quotation's comma)
        pieces, cursor = [], 0
        for a, b in self.quoted:
            if a < cursor:
                continue
            pieces.append(text[cursor:a])
            blank = "x" * (b - a)
            if re.search(r",\s*[”\"’']+\s*$", text[a:b]):
                blank = blank[:-1] + ","
            pieces.append(blank)
            cursor = b
        pieces.append(text[cursor:])
        self.masked = "".join(pieces)
        self.mentions: list[Mention] = []
        self._by_surname: dict[str, list[Entity]] = {}
        self._by_first: dict[str, list[Entity]] = {}
        self._build()

    # ---- positions
    def inside_quote(self, pos: int) -> bool:
        i = bisect_right(self._quoted_starts, pos) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def quoted_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quotation ranges that overlap ``start..end``, in order (binary search)."""
        i = bisect_right(self._quoted_max_end, start)  # first range that may end after start
        out = []
        while i < len(self.quoted) and self.quoted[i][0] < end:
            qs, qe = self.quoted[i]
            if qe > start:
                out.append((qs, qe))
            i += 1
        return out

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect_right(self._sent_starts, pos) - 1)

    def paragraph_bounds(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, (len(self.text) if end < 0 else end)

    # ---- entities
    def _build(self) -> None:
        text = self.text
        names: list[Name] = []
        for s in self.sentences:
            if _headline(text, s.start, s.end):
                continue  # "Glenn Beck CPAC Speech VIDEO: …": title case, not names
            cursor = s.start
            for qs, qe in self.quoted_overlapping(s.start, s.end):
                names.extend(names_in(text, cursor, max(cursor, qs - 1)))
                cursor = max(cursor, qe + 1)
            names.extend(names_in(text, cursor, s.end))
        names = self._drop_capitalised_words(_share_surnames(text, names))
        # longest forms first, so a surname joins the full name it abbreviates
        entities: list[Entity] = []
        # (an honorific's gender first: "Mr. Trump" decides whom a later bare "Trump" names)
        for name in sorted(names, key=lambda n: (-len(n.text.split()), n.gender is None,
                                                 n.start)):
            entity = self._find(name.text, name.start, name.gender)
            if entity is None:
                entity = Entity(canonical=name.text, kind=name.kind)
                entities.append(entity)
                words = name.text.split()
                self._by_surname.setdefault(_surname(words), []).append(entity)
                if len(words) >= 2:
                    self._by_first.setdefault(_bare(words[0]), []).append(entity)
            elif len(name.text) > len(entity.canonical) and entity.canonical in name.text:
                entity.canonical = name.text
            entity.mentions += 1
            if name.kind == "organisation":
                entity.kind = "organisation"
            if name.role:
                entity.roles.append(name.role)
                entity.person_evidence += any(_bare(w) in _TITLE_WORDS
                                              for w in name.role.split())
            if name.kind != "organisation" and _first_name_gender(name.text):
                entity.person_evidence += 1  # "Robby Mook": a given name and a surname
            if " " in name.text and _bare(name.text.split()[-1]) in _GEO_HEADS:
                entity.place_evidence += 3  # "the South China Sea", "Pearl Harbor": a place
            if name.gender:
                entity.votes[name.gender] += 3
            self.mentions.append(Mention(name.start, name.end, entity, name))
        self.mentions.sort(key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]
        self._learn_from_context()

    def _drop_capitalised_words(self, names: list[Name]) -> list[Name]:
        """A lone capitalised word opening a sentence ("Ignore", "Asked") is a name only when
        the article also writes it capitalised elsewhere or inside a longer name."""
        starts = set(self._sent_starts)
        words: dict[str, int] = {}
        for n in names:
            for w in n.text.split():
                key = _bare(w)
                words[key] = words.get(key, 0) + (0 if n.start in starts and " " not in n.text
                                                  else 1)
        said = re.compile(rf"(?i)(?:[’']s)?,?\s+(?:also\s+|later\s+|then\s+)?(?:{VERBS})\b")
        # "Fundraising for the Republican …" opening a sentence: a common word before a link
        # word, capitalised nowhere else, is not the head of a name
        elsewhere: dict[str, int] = {}
        for n in names:
            for k, w in enumerate(n.text.split()):
                if k or n.start not in starts:
                    elsewhere[_bare(w)] = elsewhere.get(_bare(w), 0) + 1

        def common_head(n: Name) -> bool:
            parts = n.text.split()
            return (n.start in starts and len(parts) > 2 and parts[1].lower() in _NAME_LINKS
                    and elsewhere.get(_bare(parts[0]), 0) == 0)
        lower = set(re.findall(r"(?<![\w’'-])[a-z][a-z’'-]+", self.text))

        def common_word(n: Name) -> bool:  # "Fundraising was …" where "fundraising" is too
            return " " not in n.text and n.text.lower() in lower

        return [n for n in names
                if (" " in n.text and not common_head(n)) or n.start not in starts
                or (" " not in n.text and words.get(_bare(n.text), 0) > 0
                    and not common_word(n))
                or said.match(self.text, n.end)]

    def _find(self, name: str, pos: int, gender: str | None = None) -> Entity | None:
        words = name.split()
        key = _surname(words)
        options = [e for e in self._by_surname.get(key, [])
                   if _contains_words(e.canonical, name)]
        if not options and len(words) == 1:
            options = self._by_first.get(key, [])
        if not options:
            return None
        if gender:
            # "Mrs. Clinton" beside "Hillary Clinton" and "Bill Clinton": the woman; "Mr.
            # Trump" where only "Melania Trump" is named in full: nobody named yet
            options = [e for e in options if e.gender in (None, gender)]
            if not options:
                return None
        if len(options) == 1:
            return options[0]
        bare = [e for e in options if e.canonical == name] if len(words) == 1 else []
        if len(bare) == 1:
            # a surname that already stands for someone none of the full names fit ("Mr.
            # Trump" beside "Melania Trump"): the article's bare surname is that person
            return bare[0]
        if len(words) == 1:
            # A bare surname several named people share is the one named first: news style
            # names the story's subject by surname after the first reference and gives
            # relatives or namesakes their first names ("His wife, Sandra Jackson, …" then
            # "Jackson said" is still Jesse Jackson Jr.).
            firsts = {id(e): min((m.start for m in self.mentions if m.entity is e
                                  and len(m.name.text.split()) > 1), default=None)
                      for e in options}
            named = [e for e in options if firsts[id(e)] is not None]
            if named:
                return min(named, key=lambda e: firsts[id(e)])
        before = [m for m in self.mentions if m.entity in options and m.start < pos]
        if before:
            return before[-1].entity
        return options[0]

    def _learn_from_context(self) -> None:
        """Subjects (a name opening its sentence, or followed by a speech verb), pronoun
        votes (a 'he' soon after a subject, outside quotes), titles and locative contexts
        ('in Iowa') tell persons, genders and places apart."""
        text = self.text
        first_in_sentence: set[int] = set()
        seen_sentences: set[int] = set()
        for i, m in enumerate(self.mentions):
            k = self.sentence_index(m.start)
            if k not in seen_sentences:
                seen_sentences.add(k)
                s = self.sentences[k]
                lead = text[s.start : _role_start(text, m.name)]
                if (len(re.findall(r"[A-Za-z]+", lead)) <= 3 and not re.search(r"[,;:]\s*$", lead)
                        and not re.search(r"(?i)\w+ing\b|\b(?:of|to|for|with|about|by|on|in|at"
                                          r"|from|than|like)\b", text[s.start : m.start])):
                    first_in_sentence.add(i)
                elif _ROLE_LEAD.fullmatch(lead):
                    # "Germany's Special Envoy for Syria, Stefan Schneck took to X"
                    first_in_sentence.add(i)
                    m.entity.person_evidence += 1
            if i not in first_in_sentence:
                s = self.sentences[k]
                lead = text[s.start : _role_start(text, m.name)]
                if (_INTRO_LEAD.fullmatch(lead) and not self.quoted_overlapping(s.start, m.start)
                        and _VERB_AFTER.match(text, m.end)):
                    # "In a victory speech on Tuesday night, Mr. Trump struck a measured tone":
                    # an opening phrase and its comma, then the name and its verb
                    first_in_sentence.add(i)
        for i, m in enumerate(self.mentions):
            after = self.masked[m.end : m.end + 160]
            speech = re.match(rf"(?i)(?:[’']s)?(?:,[^,“”\"]{{3,120}},)?,?\s+(?:also\s+|later\s+"
                              rf"|then\s+|has\s+|had\s+|[a-z]+ly\s+)?(?:{VERBS})\b", after)
            verb_next = re.match(r"(?:,[^,“”\"]{3,120},)?\s+(?!(?:and|or|of|the|an?|in|on|at|to"
                                 r"|for|with|from|by|who|which|that|whose)\b)[a-z]+\b", after)
            # the inverted "“…,” said Wilcox": a name right after the quote's own verb
            said_before = re.search(
                r"(?:[”\"’']|,)\s*(?:said|says|added|wrote|asked|continued)\s+$",
                                    text[max(0, _role_start(text, m.name) - 30) :
                                         _role_start(text, m.name)])
            before = text[max(0, m.start - 60) : m.start]
            if m.name.role and m.name.role in before:
                before = before[: before.rfind(m.name.role)]
            speaks = bool(speech)
            if speaks and (_OBJECT_OF.search(before)
                           or (after.startswith(",") and _CITY_STATE.search(before))):
                # "a minister with the Living Church of God in North Carolina, told", "war
                # in the Middle East, warned": the object of a preposition is no subject
                speaks = False
            elif speaks and after.startswith(",") and (
                    _COMPLEMENT.search(before)
                    or re.search(r",\s+(?:who|whom|whose|which)\b[^,;“”\"]*$", before)):
                # "Paul Porter, a truck driver and a supporter of Mr. Trump, said", "Bernie
                # Sanders, who on Tuesday endorsed Clinton, said": a name that closes an
                # appositive or a relative clause; the sentence's first name speaks
                speaks = False
            elif (not speaks and i in first_in_sentence and not said_before
                    and self._appositive_then_verb(m)):
                speaks = True
            if not verb_next and i in first_in_sentence:
                # "Franson Reneus, 18,  from Lee County, Fla., disagrees": an age and a
                # place in commas, then a verb
                verb_next = re.match(r"(?:,[^,“”\"]{2,60}){2,4},\s+(?:[a-z]+ly\s+)?"
                                     r"(?!(?:and|or|who|which|whose|was|is)\b)[a-z]+(?:s|ed)\b",
                                     after)
            m.subject = (speaks or bool(said_before)
                         or (i in first_in_sentence and bool(verb_next)))
            if m.subject and re.search(r"(?i)\b(?:the|an?)\s+$", before) \
                    and _ROLE_NOUN_AFTER.match(after):
                # "The Vermont senator declined", "the Trump adviser said": a modifier of
                # the person described, who is someone else
                m.subject = speaks = False
            if speaks:
                m.entity.person_evidence += 1
            elif re.match(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:who\b|\d+-year-old)",
                          after) or (" " in m.name.text and _PERSON_APPOSITIVE.match(after)):
                # "Raynard Jackson, a black Republican campaign consultant and …": a role
                m.entity.person_evidence += 1
            if _LOCATIVE.search(text[max(0, m.start - 14) : m.start]):
                m.entity.place_evidence += 1
        # a subject pronoun ("he said", "Progressivism, he told") outside quotation marks
        # votes for the latest subject named in its sentence or the one before
        subjects = [m for m in self.mentions if m.subject]
        starts = [m.start for m in subjects]
        for p in re.finditer(r"(?:^|[.,;:!?]\s|\n|\b(?:said|says|that|and|but|when|while"
                             r"|because|as)\s)(He|he|She|she)\b(?=\s+[a-z])", text):
            at = p.start(1)
            if self.inside_quote(at):
                continue
            j = bisect_right(starts, at) - 1
            if j < 0 or self.sentence_index(at) - self.sentence_index(starts[j]) > 1:
                continue
            entity = subjects[j].entity
            gender = _PRONOUN_GENDER[p.group(1).lower()]
            if _first_name_gender(entity.canonical) not in (None, gender):
                # "Jessica Mendoza replaced Schilling. He was reassigned": the given name
                # says the "he" is someone else
                continue
            entity.votes[gender] += 1
            entity.person_evidence += 1

    def _main_subject_before(self, m: Mention, gender: str | None) -> Entity | None:
        """'Mr. Nevins said he pursued it only because Mr. Lynch agreed. (“…,” he said.)': a
        subject after 'because'/'if'/'when' is of a subordinate clause; the person subject of
        the main clause before it, of fitting gender, is the one a later pronoun continues."""
        s = self.sentences[self.sentence_index(m.start)]
        if not _SUBORDINATOR.search(self.text, max(s.start, _role_start(self.text, m.name) - 40),
                                    _role_start(self.text, m.name)):
            return None
        for other in self.mentions[bisect_left(self._mention_starts, s.start):]:
            if other.start >= m.start:
                break
            e = other.entity
            if (other.subject and e is not m.entity and e.is_person
                    and (gender is None or e.gender in (None, gender))
                    and not self.inside_quote(other.start)):
                return e
        return None

    def _appositive_then_verb(self, m: Mention) -> bool:
        """'Paul Porter, a truck driver from Ava, Mo., who is a member of the Teamsters
        union, said': a name, then an appositive with commas of its own, then the speech
        verb, all in one sentence and outside quotation marks."""
        end = self.sentences[self.sentence_index(m.start)].end
        after = self.text[m.end : end]
        hit = _LONG_APPOSITIVE.match(after)
        return hit is not None and not self.quoted_overlapping(m.end, m.end + hit.end())

    def entity_named(self, canonical: str) -> Entity | None:
        return next((m.entity for m in self.mentions if m.entity.canonical == canonical), None)

    def subject_between(self, start: int, end: int, gender: str | None) -> bool:
        """A person of fitting gender opens a sentence or speaks between the two positions."""
        i = bisect_right(self._mention_starts, start)
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            i += 1
            if (m.subject and m.entity.is_person and m.start > start
                    and (gender is None or m.entity.gender in (None, gender))):
                return True
        return False

    def entity_at(self, start: int, end: int) -> Mention | None:
        i = bisect_right(self._mention_starts, end) - 1
        while i >= 0 and self.mentions[i].end > start:
            m = self.mentions[i]
            if m.start >= start and m.end <= end:
                return m
            i -= 1
        return None

    def find(self, name: str, pos: int) -> Entity | None:
        """The entity a name written at ``pos`` refers to, if the article names it."""
        return self._find(name, pos)

    def canonical(self, name: str, pos: int) -> str:
        entity = self._find(name, pos)
        return entity.canonical if entity else name

    def antecedent(self, pos: int, gender: str | None, *, person: bool = True,
                   role_head: str | None = None) -> Entity | None:
        """The entity a pronoun or description at ``pos`` refers to: scanning back sentence
        by sentence (at most 6), the nearest fitting *subject* named outside quotation marks
        (a name opening its sentence or saying something); failing that, the nearest fitting
        mention of the last two sentences. With ``role_head`` ("senator"), an entity whose
        title or role has that word wins over nearness."""
        i = bisect_right(self._mention_starts, pos) - 1
        here = self.sentence_index(pos)
        nearest = None
        role_match = None
        same_sentence: list[Entity] = []  # fitting non-subjects before it in its sentence
        while i >= 0:
            m = self.mentions[i]
            i -= 1
            distance = here - self.sentence_index(m.start)
            if distance > 6:
                break
            if distance > 0 and len({id(e) for e in same_sentence}) == 1 and not role_head:
                # "When Mr. Bush released his tax returns, he said": the one person named
                # earlier in the pronoun's own sentence, none of them its subject
                return same_sentence[0]
            e = m.entity
            if person and not e.is_person:
                continue
            if not person and e.kind != "organisation":
                continue
            if gender and e.gender and e.gender != gender:
                continue
            if role_head:
                if role_match is None and any(role_head in _role_words(r) for r in e.roles):
                    role_match = e
                continue
            if m.subject:
                main = self._main_subject_before(m, gender) if distance > 0 else None
                return main or e
            if distance == 0 and not self.inside_quote(m.start) and not _COMPLEMENT.search(
                    self.text[max(0, _role_start(self.text, m.name) - 30) :
                              _role_start(self.text, m.name)]):
                same_sentence.append(e)
            if nearest is None and distance <= 1:
                nearest = e
        if role_head:
            return role_match or self.antecedent(pos, gender, person=person)
        return nearest


def _share_surnames(text: str, names: list[Name]) -> list[Name]:
    """"Hillary and Bill Clinton": a lone given name joined by "and" to a full name takes its
    surname ("Hillary Clinton"), so a later bare "Clinton" is not taken for Bill alone."""
    out = list(names)
    for k, n in enumerate(names[:-1]):
        nxt = names[k + 1]
        words = nxt.text.split()
        if (" " not in n.text and len(words) == 2 and not nxt.role
                and re.fullmatch(r"\s+and\s+", text[n.end : nxt.start])
                and _first_names().get(n.text.lower()) and _first_names().get(words[0].lower())):
            out[k] = replace(n, text=f"{n.text} {words[1]}", kind="person")
    return out


def _headline(text: str, start: int, end: int) -> bool:
    """A line in Title Case (four or more words, most capitalised, on a line of its own)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > 200:
        return False
    line = text[line_start:line_end]
    words = re.findall(r"[A-Za-z][\w’'-]*", line)
    if len(words) < 4:
        return False
    content = [w for w in words if w.lower() not in _NAME_LINKS | {"a", "an", "to", "in", "on",
                                                                  "and", "or", "at", "is"}]
    return sum(w[0].isupper() for w in content) >= 0.8 * len(content)


def _role_words(role: str) -> set[str]:
    words = {_bare(w) for w in role.split()}
    return words | {_TITLE_TO_ROLE[w] for w in words if w in _TITLE_TO_ROLE}


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def _surname(words: list[str]) -> str:
    """The surname of a name's words: the last one that is not a generational suffix
    ("Jesse L. Jackson Jr." -> "jackson")."""
    bare = [_bare(w) for w in words]
    while len(bare) > 1 and bare[-1] in _SUFFIXES:
        bare.pop()
    return bare[-1]


def _contains_words(longer: str, shorter: str) -> bool:
    a = [_bare(w) for w in longer.split()]
    b = [_bare(w) for w in shorter.split()]
    if not b or _surname(longer.split()) != _surname(shorter.split()) or not set(b) <= set(a):
        return False
    # "Jesse L. Jackson" (the father) is not "Jesse L. Jackson Jr.": a full name without the
    # suffix joins a suffixed one only as a bare surname
    return not (set(a) & _SUFFIXES and not set(b) & _SUFFIXES and len(b) >= 2)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


@lru_cache(maxsize=16)
def _reader(text: str, sentences: tuple[tuple[int, int], ...],
            quotes: tuple[tuple[int, int], ...]) -> Reader:
    return Reader(text, sentences, quotes)


def reader_for(text: str, cands: Candidates) -> Reader:
    """The article's :class:`Reader` (memoised: attribution and the names list share it)."""
    return _reader(text, tuple((s.start, s.end) for s in cands.sentences),
                   tuple((q.start, q.end) for q in cands.quotes))


def _quoted_ranges(text: str, quotes: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Quotation ranges including their marks, so cues are looked for outside them."""
    out = []
    for s, e in quotes:
        while s > 0 and text[s - 1] in _QUOTE_CHARS + " ":
            s -= 1
            if text[s] in _QUOTE_CHARS:
                break
        while e < len(text) and text[e] in _QUOTE_CHARS + ".,!?;: ":
            e += 1
            if text[e - 1] in _QUOTE_CHARS:
                break
        out.append((s, e))
    out.sort()
    return out


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class _Subject:
    words: str  # as written
    start: int
    name: Name | None
    pronoun: str | None
    description: str | None
    role: str | None


_PRONOUN_SUBJECT = re.compile(r"(?i)^(?:he|she|they|i|we)$")
_FILLER = re.compile(
    r"(?:\s+(?:(?:on\s+|last\s+|early\s+|late\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?|also|later|then|again|once"
    r"|repeatedly|often|recently|previously|had|has"
    r"|have|was|is|would|will|could|might|reportedly|publicly|privately|simply|flatly"
    r"|angrily|quickly|bluntly|famously|once\s+again|in\s+turn"
    r"|(?!(?:family|ally|rally|assembly|supply|reply|belly|bully|folly|lily|holly|italy)\b)"
    r"[a-z]{3,}ly)|,\s*(?:for\s+(?:example|instance)|however|meanwhile|though|too|in\s+turn),)+$")


# a party-and-state tag after a name: "Sen. Chuck Schumer (D-N.Y.)", "Mitch McConnell, R-Ky.,"
_PARTY_TAG = re.compile(r"(?:\s*\((?:[DRI]|Dem|Rep|Ind)\s*[-–]\s*[A-Z][A-Za-z.]{0,12}\)"
                        r"|,\s*[DRI]\s*[-–]\s*[A-Z][A-Za-z.]{0,12},?)$")


# one comma-separated piece of an appositive: an age, "of Raleigh", a state's abbreviation
# ("N.C.", "Mo."), or a phrase opening in lowercase ("who was among those polled")
_APPOSITIVE_PIECE = re.compile(r"\s*(?:\d{1,3}|(?:[A-Z][a-z]{0,4}\.){1,3}|[a-z][^“”\"]*)\s*")


def _name_before_appositives(reader: Reader, start: int, left: str) -> _Subject | None:
    """'Harry Bond, 30, of Raleigh, N.C., who was among those polled,' (before 'said'): the
    name before two or more appositive pieces speaks; the pieces are its role."""
    pieces = left[:-1].split(",")
    skipped = 0
    while len(pieces) > 1 and _APPOSITIVE_PIECE.fullmatch(pieces[-1]) and skipped < 6:
        pieces.pop()
        skipped += 1
    if skipped < 2:
        return None
    head_end = start + len(",".join(pieces))
    if len(left) - (head_end - start) > 220:
        return None
    named = names_in(reader.text, max(start, head_end - 80), head_end)
    if not named or named[-1].end < head_end - 1:
        return None
    name = named[-1]
    role = left[head_end - start + 1 : -1].strip()
    return _Subject(reader.text[name.start : name.end], name.start, name, None, None,
                    " ".join(x for x in (name.role, role) if x))


# "Mrs. Clinton's campaign", "Sanders’ campaign": what a person's name owns and speaks as
_OWNED = re.compile(r"(?:[’']s|(?<=s)[’'])\s+(campaign|office|administration|team|staff)")
_PLATFORMS = {"Twitter", "Facebook", "Instagram", "YouTube"}
_ACCOUNT_KIND = rf"(?:official\s+)?(?:{'|'.join(sorted(_PLATFORMS))})\s+(?:account|feed|page)"
_ACCOUNT = re.compile(rf"(?:[’']s|(?<=s)[’'])\s+{_ACCOUNT_KIND}")


def _subject_before(reader: Reader, start: int, end: int) -> _Subject | None:
    """The subject that ends at ``end`` (just before a speech verb), within ``start..end``."""
    text = reader.text
    left = text[start:end]
    left = _FILLER.sub("", left.rstrip())
    left = _PARTY_TAG.sub("", left)
    stop = start + len(left)
    role = None
    relative = re.search(r",\s+who\s*$", left)
    if relative:
        # "… was steep for Mr. Sanders, who said he intended to get “recharged”": the name
        named = names_in(text, max(start, start + relative.start() - 80), start + relative.start())
        if named and named[-1].end == start + relative.start():
            name = named[-1]
            return _Subject(text[name.start : name.end], name.start, name, None, None, name.role)
    if left.endswith(",") and left.count(",") >= 3:
        subj = _name_before_appositives(reader, start, left)
        if subj is not None:
            return subj
    # appositive: "Fred Kagan, director of the Critical Threats Project, said"
    if left.endswith(","):
        inner = left[:-1]
        comma = inner.rfind(",")
        if comma > 0 and stop - start - comma < 140:
            role = inner[comma + 1 :].strip()
            named = names_in(text, start + comma + 1, start + len(inner))
            head = re.search(r"(?:^|(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)[.;:]\s+|\b(?:However|But"
                             r"|And|Meanwhile|Still|Also|Yet|Now|Instead|Separately),\s+)"
                             r"((?:[^,.;:“”\"]|(?<=\bMr)\.|(?<=\bMrs)\.|(?<=\bMs)\.|(?<=\bDr)\.)"
                             r"{3,80})$", inner[:comma])  # "A spokesman for Mr. Hunter"
            if (len(named) == 1 and head
                    and not text[named[0].end : start + len(inner)].strip()  # name ends it
                    and " " not in text[start + comma + 1 : named[0].start].strip()  # a title
                    and re.search(r"(?<![\w’'])[a-z]", head.group(1))):
                # "Google's chief human resources executive, Laszlo Bock, told": a
                # description, then the name in commas -- the name speaks, the
                # description is its role
                name = named[0]
                return _Subject(text[name.start : name.end], name.start, name, None, None,
                                " ".join(x for x in (head.group(1).strip(), name.role) if x))
            left = _PARTY_TAG.sub("", inner[:comma])  # "Rep. Elijah Cummings (D-Md.), chair …,"
            stop = start + len(left)
    open_appositive = re.search(r",\s+((?:a|an|the)\s+[^,.;:“”\"]{3,100})$", left)
    if open_appositive is None and role is not None:
        # a second appositive: "Alixandria Lapp, executive director of the House Majority
        # PAC, a Democratic super PAC, said" -- the name before both speaks
        open_appositive = re.search(r",\s+((?!(?:and|or|but|so|then|said|says)\b)"
                                    r"(?:a|an|the|who|[a-z][\w’'-]*|\d+)\b[^,;:“”\"]{0,120})$",
                                    left)
    if open_appositive:
        # "Ali Sheha, a 57-year-old resident of Baniyas was quoted as saying"
        before_comma = names_in(text, max(start, start + open_appositive.start() - 80),
                                start + open_appositive.start())
        if before_comma and before_comma[-1].end >= start + open_appositive.start() - 1:
            name = before_comma[-1]
            return _Subject(text[name.start : name.end], name.start, name, None, None,
                            ", ".join(x for x in (open_appositive.group(1), role) if x))
    trailing = re.search(r"(\S+(?:\s+\S+){0,9})\s*$", left)
    if not trailing:
        return None
    chunk_start = start + trailing.start(1)
    chunk = text[chunk_start:stop]
    # a pronoun right before the verb
    last = re.search(r"(\w+)\s*$", chunk)
    if last and _PRONOUN_SUBJECT.match(last.group(1)) and not chunk.rstrip().endswith(","):
        return _Subject(last.group(1), chunk_start + last.start(1), None,
                        last.group(1).lower(), None, role)
    names = names_in(text, chunk_start, stop)
    if names and (names[-1].kind == "person" or names[-1].role
                  or _given_then_surname(names[-1].text.split())) and re.fullmatch(
            r"\s+of\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+(?:(?:for|of|and|on|&)\s+(?:the\s+)?)?"
            r"[A-Z][\w.’'-]*){0,6},?",
            text[names[-1].end : stop]):
        # "CBC Chairman G.K. Butterfield of North Carolina said": the person, not the place
        stop = names[-1].end
    if names and _ACCOUNT.fullmatch(text, names[-1].end, stop):
        # "Trump’s Twitter account posted": the account's owner speaks
        name = names[-1]
        return _Subject(text[name.start : name.end], name.start, name, None, None, name.role)
    owned = _OWNED.fullmatch(text, names[-1].end, stop) if names else None
    mention = reader.entity_at(names[-1].start, names[-1].end) if owned else None
    if owned and (names[-1].kind == "person" or names[-1].role
                  or (mention is not None and mention.entity.is_person)):
        # "Mrs. Clinton's campaign said", "Sen. Kelly Ayotte’s campaign, for example, said":
        # the campaign speaks, named after its candidate ("Hillary Clinton campaign")
        name = names[-1]
        owner = mention.entity.canonical if mention else name.text
        return _Subject(text[name.start : stop], name.start, None, None,
                        f"the {owner} {owned.group(1)}", None)
    if names and stop - names[-1].end <= 2 + len(
            re.search(r"((?:[’']s)?\s*)$", text[names[-1].end : stop]).group(1)):
        name = names[-1]
        # "Trump attorney Alan Garten": lowercase role words between names join the role
        pre = text[chunk_start : name.start]
        lead = re.search(r"((?:(?<!\S)[A-Z][\w’'.-]*\s+)?(?:(?<!\S)[a-z][\w’'-]*\s+){1,3})$", pre)
        extra = None
        if lead and not re.search(r"\b(?:said|says|and|that|but|as|when|while|if)\b",
                                  lead.group(1)):
            extra = lead.group(1).strip()
        if extra and name.role and (extra in name.role or name.role in extra):
            name_role = max(extra, name.role, key=len)  # the same words, once
        else:
            name_role = " ".join(x for x in (name.role, extra) if x) or None
        return _Subject(text[name.start : name.end], name.start, name, None, None,
                        role or name_role)
    # a description: "the senator", "a spokesman for the campaign", "sources"
    desc = re.search(
        r"(?i)\b((?:the|a|an|one|another|his|her|their|its|two|three|several|some|other"
        r"|many)\s+[^,.;:“”\"]{1,60}|sources?|officials?|aides?)$", chunk.rstrip())
    if desc and re.match(r"(?i)(?:two|three|several|some|many)\s+(?:minutes|hours|days|weeks"
                         r"|months|years)\s+(?:after|before|later|ago|earlier)\b", desc.group(1)):
        return None  # "two hours after news outlets declared him the victor": a time
    if desc:
        words = desc.group(1)
        head = re.split(r"\s+(?:has|have|had|was|were|is|are|that|who|which|said|says)\b", words)
        if len(head) > 1:
            # "The government has stated that they were … and attributed": its head only
            if not _ORG_HEAD.search(head[0]):
                return None
            words = head[0]
        return _Subject(words, chunk_start + desc.start(1), None, None, words, role)
    return None


def _subject_after(reader: Reader, start: int, end: int) -> _Subject | None:
    """The subject that starts at ``start`` (right after a speech verb): 'said Bart Naylor,
    financial policy advocate for Public Citizen' / 'said the senator'."""
    text = reader.text
    m = re.match(r"\s+", text[start:end])
    pos = start + (m.end() if m else 0)
    rest = text[pos:end]
    # "“…,” said he." -- but "said he was “outraged”" reports what he said, it is no subject
    p = re.match(r"(?i)(he|she|they)\b(?=\s*(?:[,.;:!?”\"]|$))", rest)
    if p:
        return _Subject(p.group(1), pos, None, p.group(1).lower(), None, None)
    names = names_in(text, pos, min(end, pos + 120))
    # "said fire chief Maria Lopez": up to three lowercase role words before the name
    # (and a party or nationality before them: "said  Republican political consultant …")
    lower_role = re.match(rf"(?:{_ADJECTIVE_ONLY.pattern}\s+(?=[a-z]))?"
                          r"(?:(?!(?:the|a|an|that|to|in|on|at|of|he|she|they|it|this|we|i)\b)"
                          r"[a-z][\w’'-]*\s+){1,3}", rest)
    the_org = bool(names) and names[0].kind == "organisation" and re.match(
        r"the\s+$", text[pos : names[0].start - len(names[0].role or "")])
    if names and (the_org or names[0].start - pos <= len(names[0].role or "") + 1 + (
            lower_role.end() if lower_role else 0)):
        # ("according to the U.S. Attorney’s Office": an organisation after "the" too)
        name = names[0]
        role = name.role
        if lower_role and names[0].start - pos > len(name.role or "") + 1:
            role = " ".join(x for x in (lower_role.group(0).strip(), name.role) if x)
        after = re.match(r",\s+((?:an?\s+|the\s+)?(?:[^,.;:“”\"()]|\.(?=\w)){3,90}?)"
                         r"\.?(?:[,;]|\.(?!\w)|$)",
                         text[name.end : end])
        if after and not re.match(r"(?i)(?:who|which|that|and|but|as|in|on|at|adding)\b",
                                  after.group(1)):
            # "a Florida-based Republican strategist who once worked for Bush": what the
            # person is, not the relative clause after it
            role = re.split(r"\s+(?:who|whose|which|that)\b", after.group(1))[0].strip()
        return _Subject(text[name.start : name.end], name.start, name, None, None, role)
    desc = re.match(r"(?i)((?:the|a|an|one|another|his|her|their|two|three|several|some"
                    r"|other|many)\s+[^,.;:“”\"]{1,60}?)(?=[,.;:]|\s+(?:who|in|on|at|of"
                    r"\s+the)\b|$)", rest)
    opens = text[end : end + 1]  # "" at the text's end, which is in every string
    if desc and desc.end() >= len(rest.rstrip()) and opens and opens in _QUOTE_CHARS:
        # "said the days when the nation had “a unifying story”", "said his remarks were
        # “propaganda”": what was said runs into the quotation, it is no subject
        desc = None
    if desc:
        # "said his best friend at Lehigh, Bruce Turry, who …": the name in commas speaks
        comma = text.find(",", pos + desc.end(), min(end, pos + desc.end() + 60))
        named = names_in(text, comma + 1, min(end, comma + 80)) if comma > 0 else []
        if (named and re.fullmatch(r"(?:\s+(?:at|of|in|on|for|with)\s+[^,.;:“”\"]{1,40})?",
                                   text[pos + desc.end() : comma])
                and not text[comma + 1 : named[0].start - len(named[0].role or "")].strip()
                and re.match(r"\s*(?:[,.;]|$)", text[named[0].end : named[0].end + 2])):
            name = named[0]
            return _Subject(text[name.start : name.end], name.start, name, None, None,
                            " ".join(x for x in (text[pos : comma].strip(), name.role) if x))
        return _Subject(desc.group(1), pos, None, None, desc.group(1), None)
    return None


def _outside(reader: Reader, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of ``start..end`` outside quotation ranges."""
    pieces, cursor = [], start
    for qs, qe in reader.quoted_overlapping(start, end):
        if qs > cursor:
            pieces.append((cursor, qs))
        cursor = max(cursor, qe)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


# a determiner, a preposition or a possessive right before a word makes it a noun ("the
# states", "of calls", "Trump's comments"; "he's said" is no possessive)
_NOUN_BEFORE = re.compile(r"(?i)(?:\b(?:the|an?|his|her|its|their|our|my|your|these|those|of)"
                          r"|(?<!\bhe)(?<!\bshe)(?<!\bit)(?<!\bwho)(?<!\bthat)(?<!\bthere)"
                          r"(?<!\bwhat)[’']s)\s+$")


# speech verbs that are also plural nouns, and the counting words that make them nouns
_PLURAL_NOUN_VERBS = {"states", "notes", "comments", "answers", "demands", "quotes", "thanks",
                      "refers", "remarks", "responds", "replies", "presses"}
_COUNTED = re.compile(r"(?i)\b(?:dozens?|several|many|other|few|all|both|some|more|most"
                      r"|\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                      r"|fifteen|twenty|thirty|forty|fifty|hundreds?)(?:\s+[a-z-]+)?\s+$")


def _cue_in(reader: Reader, start: int, end: int, quote_start: int,
            quote_end: int) -> tuple[_Subject, str] | None:
    """The attribution cue inside ``start..end`` nearest to the quote, outside quotations."""
    text = reader.text
    found: list[tuple[int, _Subject, str]] = []
    for ps, pe in _outside(reader, start, end):
        for v in _VERB_RE.finditer(text, ps, pe):
            verb = v.group(0)
            if _NOUN_BEFORE.search(text, max(ps, v.start() - 12), v.start()):
                continue  # "many of the states", "his remarks": a noun, not a verb
            if verb in _PLURAL_NOUN_VERBS and _COUNTED.search(text, max(ps, v.start() - 40),
                                                              v.start()):
                continue  # "a dozen states held contests", "50 states": counted, a noun
            naming = bool(_NAMING_VERBS.match(verb))
            and_verb = False
            right_after = quote_end <= v.start() and v.start() - quote_end < 40 and re.fullmatch(
                r"[”\"’'.,!?\s]*(?:[A-Z][\w’'.-]*\s*){1,4}|[”\"’'.,!?\s]*(?:he|she)\s",
                text[quote_end : v.start()])
            if naming and not (v.end() <= quote_start and quote_start - v.end() < 60) \
                    and not right_after:
                continue  # "called X “…”" only when the quote follows the verb closely
            coordinated = re.search(r"(?:,|\band)\s*(?:(?:at\s+one\s+point|at\s+times|at\s+the"
                                    r"\s+time|again|also|even|once|later|then|often|repeatedly"
                                    r"|in\s+effect|essentially|publicly|privately)\s+)?$",
                                    text[ps : v.start()])  # ", at one point calling"
            if coordinated and verb.endswith("ing"):
                # "Trump returned the compliment, telling Reuters “…”", "Then he cut into
                # Bush, calling him a “stiff”": the clause's subject
                subj = _sentence_subject(reader, start, v.start(), pronoun=True)
                if subj is None:
                    continue
            elif and_verb := bool(
                    re.search(r"\S\s+and\s*$",
                              pre := _FILLER.sub("", text[ps : v.start()].rstrip()))
                    and not re.search(r"(?:\b(?:he|she|they|I|we),?|[A-Z][\w’'.-]*)\s+and\s*$",
                                      pre)):
                # "Mrs. Clinton shook her head and said", "ProPublica obtained a video … and
                # said": the subject of the first verb ("Trump and Cruz said" is no such case)
                subj = _sentence_subject(reader, start, v.start(), pronoun=True)
                if subj is None:
                    subj = _subject_before(reader, ps, v.start())
                    if subj is not None and subj.words.endswith(" and"):
                        subj = None  # "a video of the speech and" is no speaker
            else:
                subj = _subject_before(reader, ps, v.start())
            how = "before" if v.start() < quote_start else "after"
            if subj is None and _INVERTING.match(verb) and not and_verb and not re.search(
                    r"(?<![’'])\b[A-Za-z]{3,}\s+$", text[ps : v.start()]):
                # "“…,” said Bart Naylor"; but "Prosecutors said Hunter and his wife
                # “mischaracterized”": a word right before the verb is its subject, and the
                # name after it starts what was said
                subj = _subject_after(reader, v.end(), pe)
            if subj is None:
                continue
            distance = quote_start - v.end() if v.end() <= quote_start else v.start() - quote_end
            if how == "after" and distance <= 12 and not naming:
                distance = -1  # "calling her ''leftist scum,'' she said": the voice right after
            found.append((max(distance, -1), subj, how))
        for a in _ACCORDING.finditer(text, ps, pe):
            subj = _subject_after(reader, a.end() - 1, pe)
            if subj is not None:
                d = quote_start - a.end() if a.end() <= quote_start else a.start() - quote_end
                found.append((max(d, 0), subj, "according to"))
        lead = re.search(r"([A-Z][^,.;“”\"]{1,60}?)\s*:\s*$", text[ps:pe])
        if lead and pe <= quote_start + 2 and pe >= quote_start - 3:
            names = names_in(text, ps + lead.start(1), ps + lead.end(1))
            if names:
                n = names[-1]
                found.append((0, _Subject(n.text, n.start, n, None, None, n.role), "colon"))
    if not found:
        return None
    if any(how != "colon" for _, _, how in found):
        found = [f for f in found if f[2] != "colon"]
    found.sort(key=lambda f: f[0])
    _, subj, how = found[0]
    return subj, how


# --------------------------------------------------------------------------- resolution


def _resolve(reader: Reader, subj: _Subject,
             last: tuple[str, int] | None = None) -> tuple[str | None, str | None, bool]:
    """(speaker, role, confident) for a cue's subject. ``last`` is the previous quote's
    speaker and position: a 'he said' within three sentences of it, with no other fitting
    subject named since, continues the same voice."""
    if subj.name is not None:
        mention = reader.entity_at(subj.name.start, subj.name.end)
        entity = mention.entity if mention else None
        speaker = entity.canonical if entity else reader.canonical(subj.name.text, subj.start)
        return speaker, subj.role, True
    if subj.pronoun:
        if subj.pronoun in {"i", "we"}:
            return None, subj.role, False
        if subj.pronoun == "they":
            e = reader.antecedent(subj.start, None, person=False)
            return (e.canonical if e else None), subj.role, e is not None
        gender = "m" if subj.pronoun == "he" else "f"
        e = reader.antecedent(subj.start, gender)
        if last is not None and (e is None or e.canonical != last[0]):
            speaker = reader.entity_named(last[0])
            if (speaker is not None and speaker.kind != "organisation"
                    and speaker.place_evidence <= speaker.person_evidence
                    and speaker.gender in (None, gender)
                    and reader.sentence_index(subj.start) - reader.sentence_index(last[1]) <= 6
                    and not reader.subject_between(last[1], subj.start, gender)):
                e = speaker
        return (e.canonical if e else None), subj.role, e is not None
    desc = subj.description or ""
    account = re.fullmatch(rf"(?i)(his|her)\s+{_ACCOUNT_KIND}", desc)
    if account:
        # "her Twitter account posted": the person a "she" would name
        pronoun = "he" if account.group(1).lower() == "his" else "she"
        return _resolve(reader, replace(subj, pronoun=pronoun, description=None), last)
    if _DOCUMENT.match(desc):
        # "a statement saying", "the email read": whoever issued it, named just before
        author = _author_before(reader, subj.start)
        return author, None, author is not None
    owner = re.fullmatch(r"(?:the\s+)?([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})(?:[’']s|(?<=s)[’'])"
                         r"\s+(campaign|office|administration|team|staff)", desc)
    if owner:
        # "Gowdy’s office", "Rubio’s campaign": named after the person, as one name
        found = reader.find(owner.group(1), subj.start)
        return f"{found.canonical if found else owner.group(1)} {owner.group(2)}", None, True
    organisation = _ORG_HEAD.search(desc)
    if organisation and re.fullmatch(r"(?i)the\s+(?:company|group|organi[sz]ation|agency|firm"
                                     r"|campaign)", desc):
        # "the company said": the organisation named last before it, if any
        e = reader.antecedent(subj.start, None, person=False)
        if e is not None:
            return e.canonical, None, True
    if organisation and (_DEFINITE.match(desc) or _POSSESSIVE_DET.match(desc)):
        # "the government", "its foreign ministry": an organisation is a speaker as written
        return _strip_determiner(desc), None, True
    affiliation = _AFFILIATION.match(desc)
    if affiliation and _ADJECTIVE_ONLY.fullmatch(affiliation.group(1).strip()):
        affiliation = None  # "a Mexican official", "one Republican involved": nobody named
    if affiliation:
        # "an unnamed Defense Ministry official", "a Clinton campaign spokesman": no name,
        # but a named body speaks; the person's description stays the role
        return " ".join(affiliation.group(1).split()), desc, True
    if _INDEFINITE.match(desc) or not _DEFINITE.match(desc):
        return None, desc, True
    head = _ROLE_HEADS.search(desc)
    if head is None:
        return None, desc, False
    word = head.group(0).lower().split()[-1].rstrip("s")
    e = reader.antecedent(subj.start, _HONORIFIC_GENDER.get(word), role_head=word)
    return (e.canonical if e else None), desc, e is not None


_DOCUMENT_NOUNS = r"statement|tweet|post|letter|email|e-mail|memo|release|message|note"
_DOCUMENT = re.compile(rf"(?i)^(?:an?|the|its|his|her|their)\s+(?:\w+\s+)?(?:{_DOCUMENT_NOUNS})s?$")
# the nouns that make a phrase an organisation's ("France's foreign ministry", "the campaign")
_ORG_NOUNS = (r"government|ministry|department|office|agency|administration|campaign|committee"
              r"|council|army|military|police|embassy|court|commission|party|company|group"
              r"|observatory")
_ORG_HEAD = re.compile(
    rf"(?i)\b(?:{_ORG_NOUNS}|authorities|organi[sz]ation|monitor|white\s+house|kremlin"
    rf"|pentagon)$")
_POSSESSIVE_DET = re.compile(r"(?i)^(?:its|their|his|her)\s|^[A-Z][\w-]*[’']s\s")
_ORG_PHRASE = re.compile(
    rf"((?:[A-Z][\w’'-]+(?:[’']s)?\s+)+(?:[a-z][\w-]*\s+){{0,2}}(?:{_ORG_NOUNS}))\b")


_AFFILIATION = re.compile(
    r"^(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:(?:unnamed|anonymous|senior|top|former|longtime)\s+)*"
    rf"((?:[A-Z][\w’'.-]*\s+)+(?:(?:{_ORG_NOUNS})\s+)?)[a-z][\w-]*$")


# one capitalised word that describes rather than names: a nationality, a party, a faith
_ADJECTIVE_ONLY = re.compile(
    r"(?:[A-Z][a-z]+(?:an|ian|ese|ish|ic|i)|Republican|Democrat|Democratic|GOP|Latino|Latina"
    r"|Hispanic|Arab|Jewish|Muslim|Christian|Catholic|Evangelical|Conservative|Liberal"
    r"|Independent|Western|Eastern|Northern|Southern)")


def _strip_determiner(desc: str) -> str:
    return re.sub(r"(?i)^(?:the|its|their|his|her)\s+", "", desc.strip())


def _author_before(reader: Reader, pos: int) -> str | None:
    """The organisation or person named just before ``pos`` in its sentence ("France's
    foreign ministry releasing a statement")."""
    s = reader.sentences[reader.sentence_index(pos)]
    left = reader.text[s.start : pos]
    orgs = list(_ORG_PHRASE.finditer(left))
    if orgs:
        return orgs[-1].group(1).strip()
    names = [n for n in names_in(reader.text, s.start, pos) if _known(reader, n)]
    if names:
        return reader.canonical(names[-1].text, names[-1].start)
    return None


# --------------------------------------------------------------------------- direct quotes

_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with",
          "is", "as", "from", "but", "not", "vs", "v", "&", "it", "be", "into", "up"}
_TITLE_CONTEXT = re.compile(
    r"(?i)(?:\b(?:on|in|at|of|from|to|show|program|programme|book|film|movie|series|song"
    r"|album|novel|memoir|titled|entitled|headlined|called|dubbed|named)|[’']s|s[’'])"
    r"\s*[“\"‘'«]*$")  # "his book “…”", "on NBC's “…”", "on Fox News’ “…”"


def _first_line_headline(text: str, pos: int) -> bool:
    """``pos`` is on the text's first line, and that line reads as a headline: short, a
    paragraph of its own, and without the "said" of a news lede ("Bill Clinton calls Obamacare
    ‘crazy system’ during campaign stop.", "Sanders: Clinton needs to ‘get away from all of
    this’"; not "“We will win,” Trump said on Tuesday.")."""
    line_end = text.find("\n")
    if line_end < 0 or pos > line_end or line_end > 150 or not text[line_end:].strip():
        return False
    return not re.search(r"\b(?:said|told|according)\b", text[:line_end])


def _title_case(quote: str) -> bool:
    words = re.findall(r"[A-Za-z][\w’'-]*", quote)
    content = [w for w in words if w.lower() not in _SMALL]
    return bool(content) and all(w[0].isupper() for w in content)


def _named_work(text: str, quote: QuoteCandidate, sentence_start: int) -> bool:
    """A short title-case span after "on NBC's", "his book": a show's or a work's title."""
    body = text[quote.start : quote.end]
    before = text[max(sentence_start, quote.start - 40) : quote.start]
    return (_title_case(body) and not re.search(r"[.!?,;]", body.rstrip(".,"))
            and len(re.findall(r"\w+", body)) <= 8 and bool(_TITLE_CONTEXT.search(before)))


def is_direct(text: str, quote: QuoteCandidate, sentence: tuple[int, int],
              attributed: bool, follows: bool) -> bool:
    """A quoted span is someone's words, not a title, headline, identifier or scare quote.

    Args:
        attributed: a speech cue was found for it in its sentence.
        follows: it continues an attributed quote (same sentence, or a follow-on paragraph).
    """
    body = text[quote.start : quote.end]
    words = re.findall(r"\w+", body)
    if not re.search(r"[A-Za-z]", body) or not words:
        return False
    before = text[max(sentence[0], quote.start - 40) : quote.start]
    after = text[quote.end : quote.end + 3]
    if re.search(r"=\s*[\"'“]?$", before) or re.fullmatch(
            r"\s*(?:[@#]\S+|\S+\.\w{2,4}|https?:\S+)\s*", body):
        return False  # markup attribute, handle, hashtag, URL, domain
    n = len(words)
    if re.search(r"(?i)\bso[- ]called\s*[“\"‘']?$", before):
        return False  # "the so-called “ceasefire”": the writer's distance, not a quote
    if n > 1 and body.upper() == body:
        return False  # a heading in capitals
    # a nickname inside a name: John “Tig” Tiegen
    if n <= 2 and re.search(r"\b[A-Z][a-z]+\s*[“\"‘']$", before) and re.match(
            r"[”\"’']\s*[A-Z]", after + text[quote.end + 3 : quote.end + 5]):
        return False
    rest = text[sentence[0] : quote.start] + " " + text[quote.end : sentence[1]]
    speech_near = bool(_VERB_RE.search(rest) or _ACCORDING.search(rest)
                       or _STATEMENT.search(rest))
    if _headline(text, quote.start, quote.end) or _first_line_headline(text, quote.start):
        return False  # "Marco Rubio: ‘You Don’t Win The Nomination By How Many States’": a headline
    if re.fullmatch(r"\(?[A-Z][A-Z ]{2,}[.!]?\)?[.!]?", body.strip()):
        return False  # "(CROSSTALK.)", "(APPLAUSE)": a transcript's stage direction
    if _title_case(body) and not re.search(r"[.!?,;]", body.rstrip(".,")) and n <= 8:
        if _named_work(text, quote, sentence[0]):
            return False  # "on NBC's “Meet the Press”", "his book “An American Son”"
        said_right_after = re.match(
            rf"[”\"’'.,!?\s]+(?:(?:he|she|they|the\s+\w+|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})"
            rf"\s+(?:also\s+)?)?(?:{VERBS})\b", text[quote.end : quote.end + 60])
        return attributed and bool(
            said_right_after or re.search(rf"\b(?:{VERBS})\b[^“\"]{{0,25}}$", before))
    if n <= 3:
        return speech_near or follows
    return True


# --------------------------------------------------------------------------- entry point


_CUE_WINDOW = 600  # characters either side of a quote searched for its speech verb
# "WALLACE: Let's start with …": a transcript's speaker label opening a quotation
_TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z’'.-]+(?:\s+[A-Z][A-Z’'.-]+)?):\s")


def attribute_quotes(text: str, cands: Candidates) -> dict[str, Attribution]:
    """Attribution for every quote candidate of one article, by id."""
    reader = reader_for(text, cands)
    out: dict[str, Attribution] = {}
    sentences = {s.id: s for s in cands.sentences}
    starts = [s.start for s in cands.sentences]
    previous: Attribution | None = None
    previous_quote: QuoteCandidate | None = None
    last_voice: tuple[str, int] | None = None  # the latest quote's named speaker, and where
    for q in cands.quotes:
        check_deadline()
        s = sentences[q.sentence_id]
        last = last_voice
        if q.continues and q.continues in out:
            first = out[q.continues]
            # ... unless it is a show's title: '“...,” Sanders said on CBS’s “Face the Nation”'
            direct = not _named_work(text, q, s.start)
            att = Attribution(first.speaker, first.as_written, first.role,
                              f"continues {q.continues}", direct, first.confident and direct)
            out[q.id] = att
            if direct:
                previous, previous_quote = att, q
            continue
        label = _TRANSCRIPT_LABEL.match(text, q.start, q.end)
        labelled = reader.find(" ".join(w.capitalize() for w in label.group(1).split()),
                               q.start) if label else None
        if label and labelled is not None and labelled.kind != "organisation":
            # a quoted transcript line, "“PENCE: Well, look, …”": the label speaks, when the
            # article names that person ("NOTE:", "UPDATE:" name nobody)
            att = Attribution(labelled.canonical, label.group(1).title(), None, "transcript",
                              True, True)
            out[q.id] = att
            previous, previous_quote = att, q
            last_voice = (att.speaker, q.start) if att.speaker else last_voice
            continue
        # a cue is looked for near the quote, not across a whole (possibly huge) sentence:
        # the nearest cue wins anyway, and this keeps the work per quote bounded
        # a quotation of several sentences is followed by its cue in the sentence it ends in
        # ("'' Universal dismissal of Trump. Underestimation of Cruz,'' Robert Shrum said")
        s_end = s.end
        if q.end > s.end:
            k = bisect_right(starts, q.end - 1) - 1
            if k >= 0 and cands.sentences[k].end > s_end:
                s_end = cands.sentences[k].end
        cue = _cue_in(reader, max(s.start, q.start - _CUE_WINDOW), min(s_end, q.end + _CUE_WINDOW),
                      q.start, q.end)
        how, confident = "none", False
        speaker = as_written = role = None
        if cue is not None:
            subj, how = cue
            speaker, role, confident = _resolve(reader, subj, last)
            as_written = subj.words
        elif previous_quote is not None and previous_quote.sentence_id == q.sentence_id \
                and previous is not None:
            # "… to “exercise restraint” and “respect the right …”": the same cue
            out[q.id] = previous
            previous_quote = q
            continue
        else:
            cue = _paragraph_cue(reader, q, s.start, s.end)
            if cue is not None:
                subj, how = cue
                speaker, role, confident = _resolve(reader, subj, last)
                as_written = subj.words
                confident = False
        if cue is None:
            subj = _sentence_subject(reader, s.start, s.end)
            if subj is not None:
                cue = (subj, "subject")
                speaker, role, _ = _resolve(reader, subj)
                as_written = subj.words
                how = "subject"
        follows = False
        if cue is None and previous is not None and previous_quote is not None:
            if (previous_quote.sentence_id == q.sentence_id
                    or _follows_on(reader, previous_quote, q, s.start, s.end)):
                speaker, as_written, role = previous.speaker, previous.as_written, previous.role
                how, follows = f"follows {previous_quote.id}", True
        if cue is None and not follows:
            subj = _previous_paragraph_subject(reader, q, s.start, s.end)
            if subj is not None:
                speaker, role, _ = _resolve(reader, subj)
                as_written, how, follows = subj.words, "previous paragraph", True
        direct = is_direct(text, q, (s.start, s.end), cue is not None, follows or bool(q.continues))
        att = Attribution(speaker, as_written, clean_role(role), how, direct,
                          confident and direct)
        out[q.id] = att
        if direct:
            previous, previous_quote = att, q
            if att.speaker:
                last_voice = (att.speaker, q.start)
    return out


def anonymous(att: Attribution) -> bool:
    """The cue names an indefinite source and no person ("one senior administration official
    said", "a friend said on Facebook", "sources say"): nobody to choose from the article's
    names, so the model is not asked to pick one."""
    return att.speaker is None and bool(att.as_written) and bool(
        _INDEFINITE.match(att.as_written.strip())) and not _DOCUMENT_WORD.search(att.as_written)


# "a statement contradicting his earlier …", "a rare interview": a document, whose author the
# article may name -- not an anonymous person
_DOCUMENT_WORD = re.compile(
    rf"(?i)\b(?:{_DOCUMENT_NOUNS}|interview|report|video|ad|transcript)s?\b")


def clean_role(role: str | None) -> str | None:
    """'a resident' -> 'resident'; None when nothing is left."""
    if not role:
        return None
    role = re.sub(r"(?i)^(?:an?|the)\s+", "", role.strip(" ,.;:"))
    # "Officials with the" (before "Democratic National Committee"): the words that link the
    # role to the name are not part of it
    role = re.sub(r"(?i)(?:\s+(?:the|a|an|of|with|for|at|in|on|to|and|from|by))+$", "", role)
    if re.match(r"(?i:who|which|whose|where|when|while|after|before|as|in|on|at|with|from"
                r"|for|to|by|of)\b|(?:[a-z]+ed|[a-z]+ing)\b", role) or re.search(
                    r"\b(?:would|will|is|was|are|were|has|had|have|could|should)\b", role):
        return None  # a clause or a circumstance, not what the person is
    if re.fullmatch(r"[RDI]-[\w.]+|(?:Mr|Mrs|Ms|Miss|Dr|Sir)\.?|(?i:the|an?|of|and)", role):
        return None  # a party tag, a bare honorific, a lone function word ("the NRA said")
    # "Sen." -> "Senator", "Texas Gov." -> "Texas Governor": what an editor prints
    role = re.sub(r"\b(Sen|Gov|Rep|Gen|Lt|Prof|Rev)\b\.?",
                  lambda m: _TITLE_TO_ROLE[m.group(1).lower()].capitalize(), role)
    return role or None


def _known(reader: Reader, name: Name) -> bool:
    """A name the article treats as a person or organisation ("Partial transcript:" is not)."""
    mention = reader.entity_at(name.start, name.end)
    return mention is not None and (mention.entity.is_person
                                    or mention.entity.kind == "organisation")


# what may open a sentence before its subject: a conjunction, then an opening phrase and its
# comma ("Before the convention,", "In 2016,", "Like Corker,", "Asked about it on Monday,")
_SENTENCE_LEAD = re.compile(
    r"(?:(?:But|And|Meanwhile|Still|Later|Then|Now|Also|So),?\s+)?"
    r"(?:(?:In|At|On|After|Before|During|Like|Unlike|Asked|Speaking|Since|When|While|Last"
    r"|Earlier|Later|Following|Despite|Addressing|Responding|Meanwhile|Separately|Instead"
    r"|Today|Yesterday|Afterward|Afterwards|Elsewhere|Hours|Days|Moments|Minutes|Amid"
    r"|Amidst|Throughout|Although|Though|Because|Ever\s+since|Even\s+as|Even\s+though|Once"
    r"|Until)\b"
    r"(?:[^.;:!?“”\"]|(?:(?<=\bMr)|(?<=\bMs)|(?<=\bDr)|(?<=\bMrs)|(?<=\bSen)|(?<=\bRep)"
    r"|(?<=\bGov))\.){0,120}?,\s+)?")
# a subordinate clause after the opening phrase: its subject is not the sentence's
_CLAUSE_LEAD = re.compile(r"(?:when|as|after|while|if|because|although|before|since|once"
                          r"|until)\s[^.;:!?“”\"]{3,120}?,\s+(?=[A-Z]|(?:he|she|they)\s)")
_TIME_FILLER = (r"(?:on\s+|last\s+|early\s+|late\s+)?(?:Monday|Tuesday|Wednesday|Thursday"
                r"|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
                r"|last\s+(?:week|month|year|night)|this\s+(?:week|month|year)|also|later|then"
                r"|has|had|again|once|recently|previously")


def _role_start(text: str, name: Name) -> int:
    """Where a name's role begins ("Sen." in "Sen. Chuck Schumer"), else where it begins."""
    if not name.role:
        return name.start
    at = text.rfind(name.role, max(0, name.start - len(name.role) - 3), name.start)
    return at if at >= 0 else name.start


def _sentence_subject(reader: Reader, start: int, end: int, *,
                      pronoun: bool = False) -> _Subject | None:
    """A name opening its sentence, followed by a lowercase verb ("Moore thanked him for
    “…”"): the likeliest speaker of a quote in a sentence with no speech cue. With
    ``pronoun``, a 'he'/'she' opening the sentence is that subject too."""
    text = reader.text
    pieces = _outside(reader, start, end)
    if not pieces or pieces[0][0] != start:
        return None
    ps, pe = pieces[0]
    lead = _SENTENCE_LEAD.match(text, ps, pe)
    pos = lead.end() if lead else ps
    clause = _CLAUSE_LEAD.match(text, pos, pe)
    if clause:
        pos = clause.end()  # "Last month, when I asked Bernie Sanders if …, he looked"
    if pronoun:
        p = re.match(r"([Hh]e|[Ss]he|[Tt]hey)\s+(?:(?:also|later|then|again)\s+)?[a-z]{3,}",
                     text[pos:pe])
        if p:
            return _Subject(p.group(1), pos, None, p.group(1).lower(), None, None)
    desc = re.match(r"((?:The|Its|Their)\s+(?:[A-Z][\w.-]*\s+)?(?:[a-z][\w’'-]*\s+){0,3}?"
                    r"[a-z][\w-]*|[A-Z][\w-]*[’']s\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)"
                    r"\s+(?:has|have|had|also|later|then|[a-z]+ed|[a-z]+s)\b", text[pos:pe])
    if desc and (_ORG_HEAD.search(desc.group(1)) or (desc.group(1).startswith("The ")
                                                      and _ROLE_HEAD_END.search(desc.group(1)))):
        # "The company said", and "The Vermont senator emailed supporters saying:" -- a
        # definite role, resolved to the person it names
        words = desc.group(1)
        return _Subject(words, pos, None, None, words, None)
    # the first name that opens the sentence, after at most a word or two or an owner ("Mr.
    # Trump's campaign chairman, Paul Manafort, dismissed"); an owner itself is no subject
    names = [n for n in names_in(text, pos, pe)
             if not re.match(r"[’']s\b", text[n.end : n.end + 2])
             and (re.fullmatch(r"(?:[A-Z][\w’'-]*\s+)?(?:[a-z][\w’'-]*\s+){0,3}"
                               r"|(?:(?:The|Mr\.|Mrs\.|Ms\.|Dr\.)\s+)?(?:[A-Z][\w-]*\s+)?"
                               r"[A-Z][\w-]*[’']s\s+(?:[a-z][\w’'-]*\s+){0,2}"
                               r"(?:[a-z][\w’'-]*,\s+)?",
                               text[pos : _role_start(text, n)])
                  or _ROLE_LEAD.fullmatch(text[pos : _role_start(text, n)])
                  or n.start - pos <= len(n.role or "") + 1)][:2]
    if not names:
        return None
    name = names[0]
    if " " not in name.text and reader.entity_at(name.start, name.end) is None:
        # a capitalised word opening the sentence, not a name; but "Band member John Flea
        # shared": a capitalised noun and a lowercase one are the role before the name
        if len(names) < 2 or not re.fullmatch(
                r"[A-Z][\w’'-]*\s+(?:(?!(?:since|he|she|they|it|we|i|when|after|before|as|if"
                r"|that|this|the|an?|to|of|in|on|at|for|with|by|and|or|but)\b)"
                r"[a-z][\w’'-]*(?<!ed)(?<!ing)\s+){1,2}", text[pos : _role_start(text, names[1])]):
            return None
        name = names[1]
    after = text[name.end : pe]
    comma = re.match(r",\s+", after)
    if comma:
        # "Speaking at a town hall event in Salem, New Hampshire, Trump went after Bush": the
        # opening phrase ran past its first comma; the name after it, with its verb, is the
        # subject
        # ("in Ames, Iowa, on Sunday, Mrs. Clinton tried"): the first name after a comma
        # of the phrase, with a verb after it
        following = [n for n in names_in(text, name.end, min(pe, name.end + 80))
                     if re.search(r",\s+$", text[name.end : _role_start(text, n)])
                     and not re.search(r"[.;:“”\"]", text[name.end : _role_start(text, n)])
                     and _VERB_AFTER.match(text, n.end, pe)][:1]
        if following:
            name = following[0]
            after = text[name.end : pe]
    # ("Gov. Chris Christie — who is being vetted as a running mate — made …": a dash aside)
    m = re.match(rf"(?:,[^,]{{3,90}},|\s*[—–][^—–“”\"]{{3,120}}[—–])?,?\s+"
                 rf"(?:(?:{_TIME_FILLER})\s+){{0,2}}([a-z]\w+)", after)
    if not m or m.group(1) in {"and", "of", "in", "on", "at", "who", "which", "that", "to",
                               "for"}:
        return None
    if m.group(1) in {"is", "was", "are", "were"} and not pronoun:
        return None  # "Trump is …": no act of speech to hang a quote on
    return _Subject(text[name.start : name.end], name.start, name, None, None, name.role)


def _previous_paragraph_subject(reader: Reader, q: QuoteCandidate, s_start: int,
                                s_end: int) -> _Subject | None:
    """A paragraph that is all quotation, right after a paragraph whose last sentence has a
    person for subject ("Stefan Schneck took to X, condemning the violence.¶“I am deeply
    shocked …”"): that person is the likeliest speaker."""
    text = reader.text
    p_start, p_end = reader.paragraph_bounds(q.start)
    outside = "".join(text[a:b] for a, b in _outside(reader, p_start, p_end))
    if p_start == 0 or re.search(r"[A-Za-z]{2}", outside):
        return None
    k = reader.sentence_index(p_start) - 1
    if k < 0 or reader.sentences[k].end > p_start:
        return None
    prev = reader.sentences[k]
    subj = _sentence_subject(reader, prev.start, prev.end)
    if subj is None or subj.name is None:
        return None
    mention = reader.entity_at(subj.name.start, subj.name.end)
    return subj if mention is not None and mention.entity.is_person else None


def _paragraph_cue(reader: Reader, q: QuoteCandidate, s_start: int,
                   s_end: int) -> tuple[_Subject, str] | None:
    """A cue in a neighbouring sentence of the same paragraph, or a colon lead-in just
    before the quote's paragraph ("Here's Clinton in December 1992:")."""
    text = reader.text
    p_start, p_end = reader.paragraph_bounds(q.start)
    i = reader.sentence_index(q.start)
    for j in (i + 1, i - 1):
        if 0 <= j < len(reader.sentences):
            t = reader.sentences[j]
            if t.start >= p_start and t.end <= p_end and t.start != s_start:
                cue = _cue_in(reader, t.start, t.end, q.start, q.end)
                if cue is not None and cue[1] != "colon":
                    return cue[0], "paragraph"
    if text[p_start:q.start].strip(_QUOTE_CHARS + " ") == "" and p_start > 0:
        prev_text = text[: p_start].rstrip()
        if prev_text.endswith(":"):
            prev_start = reader.paragraph_bounds(len(prev_text) - 1)[0]
            cue = _cue_in(reader, prev_start, len(prev_text), len(prev_text) + 1,
                          len(prev_text) + 1)
            if cue is not None:
                return cue[0], "colon"
            names = [n for n in names_in(text, prev_start, len(prev_text))
                     if not reader.inside_quote(n.start) and _known(reader, n)]
            if names:
                n = names[-1]
                return _Subject(n.text, n.start, n, None, None, n.role), "colon"
    return None


def _follows_on(reader: Reader, prev: QuoteCandidate, q: QuoteCandidate, s_start: int,
                s_end: int) -> bool:
    """``q`` is a sentence (or paragraph) of quotation with no verb of its own, right after
    the previous quote: in the next sentence of the same paragraph, or opening the next
    paragraph."""
    text = reader.text
    between = text[prev.end : q.start]
    if len(between) > 400:
        return False
    outside = "".join(text[a:b] for a, b in _outside(reader, s_start, s_end))
    if _VERB_RE.search(outside) or len(re.findall(r"[A-Za-z]+", outside)) > 3:
        return False
    if "\n" in between:
        # the previous quote ended its paragraph, and this paragraph opens with the quote
        tail = text[prev.end : text.find("\n", prev.end)]
        if not re.fullmatch(r"[”\"’'.,!?\s]*(?:[A-Z]?[\w .,’'-]{0,60}\b(?:" + VERBS
                            + r")\b[^“\"]{0,160})?[.”\"’'\s]*", tail):
            return False
        p_start, _ = reader.paragraph_bounds(q.start)
        return text[p_start : q.start].strip(_QUOTE_CHARS + " ") == ""
    return True


MAX_NAMES = 60


def speaker_names(text: str, cands: Candidates) -> list[str]:
    """Who could say a quote, as canonical names: the people and organisations named (outside
    quotation marks) in sentences that hold a quote or a speech verb, and in the sentence
    before each quote. The model picks a speaker from this list, so it cannot write a name
    the article does not contain. In order of first mention."""
    reader = reader_for(text, cands)
    quote_sentences = {q.sentence_id for q in cands.quotes}
    wanted: list[tuple[int, int]] = []
    for i, s in enumerate(cands.sentences):
        if s.id in quote_sentences or _VERB_RE.search(text, s.start, s.end):
            wanted.append((s.start, s.end))
            if s.id in quote_sentences and i > 0:
                prev = cands.sentences[i - 1]
                wanted.append((prev.start, prev.end))
    found: dict[str, int] = {}
    for m in reader.mentions:
        if any(a <= m.start < b for a, b in wanted) and (
                m.entity.is_person or m.entity.kind == "organisation"):
            found.setdefault(m.entity.canonical, m.start)
    return sorted(found, key=lambda n: (found[n], n))[:MAX_NAMES]
