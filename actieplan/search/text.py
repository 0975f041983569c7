"""What both searches (the plan's and the library's) do with text: words, a light Dutch stem, stop words,
trigram similarity and excerpts. Pure Python, no database.

The library ("Het delen waard", ``good_practices.search``) and the plan search (``actieplan.search.plan``) read a
query the same way: only letters and digits count, everything else separates words, so no input can break a
query. ``similarity`` is pg_trgm's ``similarity()`` written out, the fallback where PostgreSQL is not there
(a test checks both give the same figure).
"""

import re

WORD = re.compile(r"\w+", re.UNICODE)
#: A word of a text that may be suggested ("Bedoelde je: …"): letters only, not too short, not too long.
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}", re.UNICODE)
#: Enough for any sensible query; the rest of a pasted paragraph is ignored.
MAX_WORDS = 8
#: Longer "words" (a pasted hash, a URL without separators) are cut: PostgreSQL refuses words over 2,047 bytes.
MAX_WORD_LENGTH = 40
#: Shorter stems would match half the texts as a substring ("de", "vo").
MIN_SUBSTRING = 3

# Inflections stripped to reach a stem that is a prefix of the other forms (longest first).
_SUFFIXES = ("heden", "'s", "en", "s")

#: The Dutch stop words of PostgreSQL's ``dutch`` configuration (Snowball's list). PostgreSQL drops them from a
#: full-text query itself; the SQLite fallback and the suggestions drop them here, so both behave alike.
STOPWORDS = frozenset("""
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er ge geen
geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar me meer
men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u
uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
""".split())


def words(query, limit=MAX_WORDS):
    """The distinct words of ``query``, lower case, in order (at most ``limit``); everything else is a
    separator."""
    seen = []
    for word in WORD.findall((query or "")[:2000].lower().replace("_", " ")):
        word = word[:MAX_WORD_LENGTH]
        if word not in seen:
            seen.append(word)
    return seen[:limit]


def search_words(query):
    """:func:`words` without stop words and single characters: what a plan search looks for (at most
    :data:`MAX_WORDS` of them)."""
    return [word for word in words(query, limit=None) if len(word) > 1 and word not in STOPWORDS][:MAX_WORDS]


def stem(word):
    """A light Dutch stem: plural and inflection endings off, so the stem is a prefix of the other forms.

    "stages" → "stage", "stageplaatsen" → "stageplaats", "ouders" → "ouder", "mogelijkheden" →
    "mogelijkheid", "stappen" → "stap", "bedrijven" → "bedrijf". Short words stay as they are.
    """
    if word.endswith("heden") and len(word) > 7:
        return word[:-5] + "heid"
    for suffix in _SUFFIXES[1:]:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            if suffix == "en":
                if len(base) > 4 and base[-1] == base[-2] and base[-1] not in "aeiou":
                    base = base[:-1]  # stappen → stap
                elif base[-1] == "v":
                    base = base[:-1] + "f"  # bedrijven → bedrijf
                elif base[-1] == "z":
                    base = base[:-1] + "s"  # reizen → reis
            return base
    return word


def terms(query):
    """What a results page highlights: the stems of the query's words."""
    return [stem(word) for word in words(query)]


def vocabulary(*texts):
    """The words of ``texts`` worth suggesting: lower case, letters only, 3 to 40 long, no stop words."""
    found = set()
    for text in texts:
        for word in VOCABULARY_WORD.findall((text or "").lower()):
            if word not in STOPWORDS:
                found.add(word)
    return found


# --- trigram similarity, as PostgreSQL's pg_trgm computes it -------------------------------------------------

def trigrams(text):
    """pg_trgm's trigrams of ``text``: per word (letters and digits), lower case, padded with two spaces in front
    and one behind, every run of three characters."""
    found = set()
    for word in re.findall(r"[^\W_]+", (text or "").lower()):
        padded = f"  {word} "
        found.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a, b):
    """pg_trgm's ``similarity(a, b)``: shared trigrams over all trigrams of the two (0 to 1)."""
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


# --- excerpts -------------------------------------------------------------------------------------------------

def excerpt(text, terms, length=240):
    """About ``length`` characters of ``text`` around the first of ``terms`` it holds (at word boundaries),
    with an ellipsis where text was left out; the start of ``text`` when no term occurs."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms or () if term and lowered.find(term) >= 0]
    start = max(min(positions) - length // 3, 0) if positions else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(start + length, len(text))
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    return f"{'… ' if start else ''}{text[start:end]}{' …' if end < len(text) else ''}"
