"""Small language helpers for the offline generator.

The brand fields are free text typed by a user ("gourde isotherme", "Les
étudiants", "Evian"), so French needs care: the gender and number of an
unknown product are unknowable, "de" + "les" must become "des", "de" + "Evian"
becomes "d'Evian". These helpers turn raw fields into noun phrases that fit
the templates' slots, and pick a short key phrase out of a brief.
"""

from __future__ import annotations

import re

from bot.brief.brand import fold, parse_fields
from bot.kernel.messages import Lang

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")
_FR_DETERMINERS = (
    "le ", "la ", "les ", "l'", "l’", "un ", "une ", "des ", "nos ", "vos ", "notre ",
    "votre ", "ces ", "cette ", "ce ", "ses ", "son ", "sa ", "leurs ", "leur ", "mes ",
    "mon ", "ma ", "tous ", "toutes ",
)
# Determiners dropped in front of a common-noun product, replaced by a possessive
# ("la gourde" -> "notre gourde"): possessives do not agree in gender.
_FR_DROPPABLE = ("le ", "la ", "les ", "l'", "l’", "un ", "une ", "des ")
_EN_DETERMINERS = ("the ", "a ", "an ", "our ", "your ", "their ", "these ", "those ", "all ")
_NBSP = "\u00a0"
_TYPO_CHARS = frozenset(":;?!«»")


def clean(text: str, limit: int = 120) -> str:
    """One line, squeezed spaces, no trailing punctuation, at most `limit` chars on a word."""
    one = re.sub(r"\s+", " ", text.replace("{", "(").replace("}", ")")).strip()
    one = one.strip(" .;,:!?-—")
    if len(one) > limit:
        one = one[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-—")
    return one


def _starts_with(text: str, prefixes: tuple[str, ...]) -> str | None:
    low = text.lower()
    return next((p for p in prefixes if low.startswith(p)), None)


def _lower_first(text: str) -> str:
    """'Gourde isotherme' -> 'gourde isotherme', but 'DRH de PME' and 'iPhone' stay."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and any(c.isupper() for c in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def looks_proper(text: str) -> bool:
    """A brand-like name ('Gourdo', 'Gourdo Bottle', 'iPhone 15'), not a common noun phrase.

    A figure or an acronym inside a lower-case phrase ('savings account at 4.5% APY',
    'chaussures 0-3 ans') does not make it a name: it still needs 'our'/'nos'.
    """
    words = text.split()
    if not words:
        return False
    first = words[0]
    if any(c.isupper() for c in first[1:]) and not first.isupper():
        return True  # iPhone, eBay
    if first[:1].isdigit():
        return True  # "4G Box", "2CV"
    if not first[:1].isupper():
        return False
    if len(words) == 1 or (first.isupper() and len(first) > 1):
        return True  # "Gourdo", "SNCF Connect"
    rest = words[1:]
    if any(w[:1].isupper() for w in rest):
        return True  # "Gourdo Bottle"
    # "Gourdo 2" is a name; "Chaussures souples 0-3 ans" is not.
    return len(words) == 2 and any(c.isdigit() for c in rest[0])


# Words that mark an English noun phrase typed in a French conversation. French
# borrowings ("box", "pack", "app", "kit") are left out: they take French articles.
_EN_MARKERS = frozenset(
    "account accounts savings checking card cards credit loan loans insurance bottle bottles "
    "shoes shoe bag bags subscription membership plan plans bundle software tool tools kit "
    "the of and for with your our my brunch deal deals gift gifts pass rewards reward "
    "cashback tracker wallet bank banking mortgage pension fund funds policy store shop "
    "coffee tea juice water beer wine food meal meals snack snacks box".split()
)
_FR_WORDS = frozenset(
    "de du des la le les un une et en pour avec sans au aux sur par chez ou d' l'".split()
)


def looks_english(text: str) -> bool:
    """'savings account', 'gift card' (English, head last) but not 'box internet' or 'Gourdo'.

    Only several-word phrases with no French word nor accent count: a single
    word ("app", "pack") is used in French as is.
    """
    words = fold(text).replace("’", "'").split()
    if len(words) < 2 or any(c.isalpha() and not c.isascii() for c in text):
        return False
    if any(w in _FR_WORDS or w.split("'")[0] + "'" in _FR_WORDS for w in words):
        return False
    english = [w for w in words if w in _EN_MARKERS or w.endswith(("ings", "ness", "ship"))]
    # The head of an English compound is its last word: "savings account", "gift box".
    return bool(english) and (words[-1] in _EN_MARKERS or len(english) >= 2)


def _plural_head(text: str) -> bool:
    head = text.split(" ", 1)[0].lower()
    return len(head) > 3 and head[-1] in "sx" or head.isdigit()


# Verb phrases typed as a product ("générer des démos"): the first word is an
# infinitive followed by a determiner. Nouns that look like infinitives are listed.
_FR_NOT_VERBS = frozenset(
    "atelier cahier panier dossier papier clavier calendrier quartier metier chantier "
    "tablier collier escalier grenier diner dejeuner gouter verger poster flyer sneaker "
    "hiver plaisir desir avenir loisir souvenir saphir elixir cuir laser boucher "
    "boulanger patissier pompier fermier".split()
)
_FR_RE_VERBS = frozenset(
    "prendre faire apprendre vendre rendre mettre lire ecrire suivre construire produire "
    "reduire boire comprendre reprendre entreprendre promouvoir".split()
)
_FR_VP_NEXT = frozenset(
    "des les le la l' un une vos nos leurs ses son sa du au aux votre notre mes ton tes plus "
    "mieux ensemble facilement en vite".split()
)
_EN_VERBS = frozenset(
    "help generate manage track book find learn save get make create automate build plan order "
    "send share organise organize sell buy rent compare monitor protect reduce improve grow "
    "boost simplify streamline deliver cook clean train hire recruit collect analyse analyze "
    "design write sign pay invest insure".split()
)
_EN_VP_NEXT = frozenset("your their the a an our my more better every all".split())


def verb_phrase(product: str, lang: Lang) -> str | None:
    """'to' / 'pour' when the product reads as a verb phrase, else None.

    'générer des démos' -> 'pour'; 'generate demos' -> 'to'; 'managing your expenses' -> 'for'.
    """
    words = fold(product).split()
    if len(words) < 2:
        return None
    head, nxt = words[0], words[1].split("'")[0] + ("'" if "'" in words[1] else "")
    if lang == "fr":
        infinitive = (head.endswith(("er", "ir")) and head not in _FR_NOT_VERBS
                      or head in _FR_RE_VERBS)
        followed = nxt in _FR_VP_NEXT or words[1].startswith(("l'", "d'"))
        if infinitive and len(head) > 3 and followed:
            return "pour"
        return None
    if head in _EN_VERBS:
        return "to"
    if head.endswith("ing") and len(head) > 5 and nxt in _EN_VP_NEXT:
        return "for"
    return None


def product_np(product: str, lang: Lang, person: str) -> str:
    """The product as a noun phrase: 'notre gourde' / 'vos chaussettes' / 'Gourdo Bottle'.

    `person` is "our" (brand voice) or "your" (talking to the marketer). A verb
    phrase becomes the object of a solution: 'notre solution pour générer des démos'.
    """
    if looks_proper(product):
        return product
    link = verb_phrase(product, lang)
    if link:
        owners = {"fr": {"our": "notre", "your": "votre"}, "en": {"our": "our", "your": "your"}}
        return f"{owners[lang][person]} solution {link} {_lower_first(product)}"
    if lang == "fr" and looks_english(product):
        # "savings account": an English compound has its head last, so its gender
        # and number are unknowable in French ("nos savings account"): quote it.
        owner = "notre" if person == "our" else "votre"
        return f"{owner} offre « {product} »"
    if lang == "fr":
        dropped = _starts_with(product, _FR_DROPPABLE)
        if dropped:
            plural = dropped in ("les ", "des ")
            noun = _lower_first(product[len(dropped):])
        elif _starts_with(product, _FR_DETERMINERS):
            return _lower_first(product)
        else:
            plural, noun = _plural_head(product), _lower_first(product)
        owner = {("our", False): "notre", ("our", True): "nos",
                 ("your", False): "votre", ("your", True): "vos"}[(person, plural)]
        return f"{owner} {noun}"
    dropped = _starts_with(product, _EN_DETERMINERS)
    noun = _lower_first(product[len(dropped):] if dropped else product)
    return f"{person} {noun}"


def audience_np(audience: str, lang: Lang) -> str:
    """The audience as a noun phrase: 'les étudiants', 'votre cible « grand public »'."""
    if lang == "en":
        return audience if looks_proper(audience) else _lower_first(audience)
    if _starts_with(audience, _FR_DETERMINERS):
        return _lower_first(audience)
    if audience[:1].isdigit() or _plural_head(audience) or audience.split(" ", 1)[0].isupper():
        return f"les {_lower_first(audience)}"
    # A singular bare noun ("grand public"): its gender is unknown, so quote it.
    return f"votre cible « {audience} »"


def fr_de(np: str) -> str:
    """'de' + noun phrase, contracted: des étudiants, du Slip, d'Evian, de votre marque."""
    low = np.lower()
    if low.startswith("les "):
        return "des " + np[4:]
    if low.startswith("le "):
        return "du " + np[3:]
    if low.startswith("des "):
        return "de " + np[4:]
    if np[:1] in _VOWELS:
        return "d'" + np
    return "de " + np


def fr_a(np: str) -> str:
    """'à' + noun phrase, contracted: aux étudiants, au Slip, à Evian."""
    low = np.lower()
    if low.startswith("les "):
        return "aux " + np[4:]
    if low.startswith("le "):
        return "au " + np[3:]
    return "à " + np


def fr_typography(text: str) -> str:
    """Non-breaking spaces before : ; ? ! and inside « », as French typography wants."""
    if not _TYPO_CHARS.intersection(text):
        return text
    text = re.sub(r" ([:;?!»])", _NBSP + r"\1", text)
    return text.replace("« ", "«" + _NBSP)


def capitalise(text: str) -> str:
    """Upper-case the first letter (after any opening quote), leaving 'iPhone' alone."""
    for i, char in enumerate(text):
        if not char.isalpha() and char not in "«“\"'( \u00a0":
            return text  # starts with a figure or a symbol: "72 heures"
        if char.isalpha():
            word = text[i:].split(" ", 1)[0]
            if char.isupper() or any(c.isupper() for c in word[1:]):
                return text
            return text[:i] + char.upper() + text[i + 1:]
    return text


# Openings that carry no content ("I want ideas for ...", "Brief : ...").
_FILLER = re.compile(
    r"^(?:(?:bonjour|salut|hello|hi|hey)\b[\s,!.]*)?"
    r"(?:(?:brief|contexte|context|idée|idea)\s*:\s*)?"
    r"(?:(?:je|on|nous)\s+"
    r"(?:veux|voudrais|voudrions|voulons|veut|aimerais|aimerions|cherche|cherchons|"
    r"souhaite|souhaitons|dois|devons|doit|va|allons)\s+|"
    r"(?:i|we)\s+(?:want|need|would like|'d like|am looking|are looking|have|must)\s+(?:to\s+)?|"
    r"(?:aide|aidez)[- ]moi\s+à\s+|help\s+(?:me|us)\s+(?:to\s+)?|"
    r"il\s+(?:faut|nous faut)\s+|(?:please|s'il te plaît|stp|svp)[\s,]+|"
    r"(?:je|on|nous)\s+(?:lance|lançons|sort|sortons|ouvre|ouvrons)\s+|"
    r"(?:we're|we are|we)\s+(?:launching|launch|opening|rolling out)\s+)?"
    r"(?:(?:trouver|find|get|give me|donne-moi|donnez-moi|propose-moi|proposez-moi)\s+)?"
    r"(?:(?:des|quelques|de nouvelles|some|new|a few)\s+)?"
    r"(?:(?:idées|angles|pistes|ideas|angle|idée|idea|concepts?)\s+(?:créatifs?\s+|creative\s+)?"
    r"(?:pour|de|sur|about|for|on|to)\s+)?",
    re.IGNORECASE,
)
_TAIL_STOPWORDS = frozenset(
    "de du des la le les l' pour et à au aux en sur avec un une par ou dans the a an of for "
    "to and with on in our your notre votre nos vos their by or at".split()
)
_CUT_BEFORE = frozenset(
    "avant apres pour avec pendant durant aupres afin sans mais dans chez before after for with "
    "during without but so because while in at".split()
)
_COMMANDS = frozenset(
    {"angles", "angle", "more", "encore", "go", "vas-y", "vas y", "ideas", "idées"}
)


def key_phrase(brief: str, max_words: int = 14) -> str:
    """A key phrase of the brief: its first clause, without filler, on word bounds.

    A clause too long to quote whole is cut only before a link word ("pour",
    "avant", "with"...); when there is none, nothing is quoted rather than a
    phrase cut in the middle ("un logiciel SaaS de gestion de notes").
    """
    lines = [ln for ln in brief.splitlines() if ln.strip() and not parse_fields(ln)]
    if not lines:
        return ""
    # A full stop ends the clause, a decimal point ("4.5%") does not.
    first = re.split(r"[!?;\n]|\.(?!\d)|\s[—–-]\s|,\s", " ".join(lines), maxsplit=1)[0]
    first = _FILLER.sub("", clean(first, 200)).strip(" :,")
    words = first.split()
    if len(words) > max_words:
        # Cut before a loose link word ("before", "avant", "pour"...) rather than
        # mid-expression ("before back [to school]").
        cuts = [i for i in range(3, max_words + 1) if fold(words[i]) in _CUT_BEFORE]
        if not cuts:
            return ""
        words = words[: cuts[-1]]
    while words and fold(words[-1]) in _TAIL_STOPWORDS:
        words.pop()
    phrase = clean(" ".join(words), 80).strip("«»“”\"'")
    if len(phrase.split()) < 2 and fold(phrase) in _COMMANDS | {""}:
        return ""
    return phrase


def join_list(items: list[str], lang: Lang) -> str:
    """['A', 'B', 'C'] -> 'A, B et C' / 'A, B and C'."""
    if len(items) < 2:
        return "".join(items)
    word = " et " if lang == "fr" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def split_list(text: str) -> list[str]:
    """'Instagram, TikTok et newsletter' -> ['Instagram', 'TikTok', 'newsletter']."""
    parts = re.split(r"\s*(?:[,;/+&|\n]|\bet\b|\band\b|\bou\b|\bor\b)\s*", text)
    return [clean(p, 60) for p in parts if clean(p, 60)]


def swap_possessives(text: str, lang: Lang) -> str:
    """Brand voice to marketer voice: 'notre boutique' -> 'votre boutique', 'our' -> 'your'."""
    if lang == "fr":
        table = {"notre": "votre", "nos": "vos", "Notre": "Votre", "Nos": "Vos"}
    else:
        table = {"our": "your", "Our": "Your", "we": "you"}
    return re.sub(r"\b(\w+)\b", lambda m: table.get(m.group(1), m.group(1)), text)


def vocative(audience: str, lang: Lang) -> str | None:
    """'les jeunes parents' -> 'Jeunes parents' (to address them); None when it would read badly."""
    low = audience.lower()
    if lang == "fr":
        if low.startswith("votre cible"):
            return None
        for det in ("les ", "des ", "nos ", "vos ", "tous les ", "toutes les "):
            if low.startswith(det):
                audience = audience[len(det):]
                break
        else:
            if _starts_with(audience, _FR_DETERMINERS):
                return None
    else:
        dropped = _starts_with(audience, _EN_DETERMINERS)
        audience = audience[len(dropped):] if dropped else audience
    return capitalise(audience) if audience else None


def lower_first(text: str, keep: tuple[str, ...] = ()) -> str:
    """For a sentence that now follows a colon: 'Tout a commencé' -> 'tout a commencé'.

    Quoted speech and names stay: the brand and product in `keep`, 'iPhone', 'F1'.
    """
    first = text.split(" ", 1)[0]
    if (not first or not first[0].isalpha() or any(k and text.startswith(k) for k in keep)
            or first == "I" or first.startswith(("I'", "I’"))
            or any(c.isupper() or c.isdigit() for c in first[1:])):
        return text
    return text[0].lower() + text[1:]


def shorten(text: str) -> str:
    """A shorter version of a hook: its first sentence, else the part before a colon.

    Returns `text` itself when no cut leaves a phrase of at least four words.
    """
    sentences = re.split(r"(?<=[.!?…])\s+", text.strip())
    if len(sentences) > 1 and len(sentences[0].split()) >= 2:
        return sentences[0]
    for pattern in (r"\s?[:;]\s|\s[—–]\s", r",\s"):  # a colon first, a comma if need be
        head = re.split(pattern, text, maxsplit=1)[0].rstrip(" \u00a0,")
        if head != text and len(head.split()) >= 4:
            return head + ("" if head.endswith(("?", "!", ".")) else ".")
    # Last resort: drop the final complement ("... gave up on our ice lolly." -> "... gave up.").
    starts = [m.start() for m in _PREPOSITION.finditer(text)
              if len(text[:m.start()].split()) >= 4 and not re.search(r"[,:;]", text[m.start():])]
    if starts:
        return text[:starts[-1]] + (text[-1] if text[-1] in ".!?" else ".")
    return text


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\s\u00a0]+(?=[«“\"(]?[A-ZÀ-ÖØ-Þ0-9])")


def sentences(text: str) -> list[str]:
    """'Avant : on cherche. Après : on passe.' -> its two sentences (a '4.5%' is no end)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def one_sentence(text: str) -> str:
    """The text as a single sentence: its first one."""
    parts = sentences(text)
    if len(parts) < 2:
        return text
    return parts[0]


_PREPOSITION = re.compile(r"\s(?:on|with|for|to|of|in|à|au|aux|avec|pour|de|du|des|sur|dans)\s")


# Words that open a clause, not a noun phrase: "Nous sommes une association...",
# "We are a bank...". A key phrase starting with one is not quoted as a name.
_CLAUSE_STARTS = frozenset(
    "je j' nous on il elle ils elles vous tu c'est ce cet notre nos mon ma mes "
    "i we you they it it's we're i'm our my is are".split()
)
_CLAUSE_WORDS = frozenset("qui que dont who which that sommes suis est avons ai am are is".split())


def is_noun_phrase(phrase: str) -> bool:
    """Whether a key phrase can be quoted as what the brief is about ("Pour « ... »")."""
    words = fold(phrase).replace("’", "'").split()
    if not words:
        return False
    head = words[0]
    if head in _CLAUSE_STARTS or head.split("'")[0] + "'" in _CLAUSE_STARTS:
        return False
    return not any(w in _CLAUSE_WORDS for w in words)


def plural_name(name: str) -> bool:
    """'Les Glaneurs', 'Des Racines': a name that would need a plural verb in French."""
    return bool(_starts_with(name, ("les ", "des ", "nos ", "aux ")))
