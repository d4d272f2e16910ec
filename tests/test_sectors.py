"""Sector knowledge: files validate, broken ones say where, briefs find sector and market."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.brief.sectors import (
    GENERIC,
    RULES_DIR,
    SECTORS_DIR,
    SectorBook,
    SectorError,
    load_sectors,
)
from bot.brief.sectors_detect import market_of as reader_market_of

REQUIRED = {
    "b2b_software", "cybersecurity", "banking_savings", "credit_loans", "insurance",
    "investment_crypto", "luxury_watches_jewellery", "fashion", "beauty_cosmetics", "food_products",
    "bakery_restaurants", "alcohol", "tobacco_vaping", "otc_medicines", "medical_devices",
    "health_services", "food_supplements", "fitness_sport", "charities", "tourism", "hotels",
    "events_festivals", "culture", "education_training", "recruitment", "real_estate",
    "automotive_mobility", "energy_utilities", "telecom", "retail_ecommerce", "toys_children",
    "gaming_gambling", "public_sector", "home_diy", "pets", "agriculture_local_produce",
    "professional_services", GENERIC,
}


@pytest.fixture(scope="module")
def book() -> SectorBook:
    return load_sectors()


# ---- the shipped files ----

def test_every_shipped_file_loads_and_the_required_sectors_are_there(book: SectorBook) -> None:
    assert REQUIRED <= set(book.ids())
    assert len(set(book.ids()) - {GENERIC}) >= 32
    files = {p.stem for p in SECTORS_DIR.glob("*.yaml")}
    assert files == set(book.ids())
    assert book.errors == ()


@pytest.mark.parametrize("sector_id", sorted(REQUIRED))
def test_each_sector_is_complete_in_both_languages(book: SectorBook, sector_id: str) -> None:
    sector = book.get(sector_id)
    assert sector.id == sector_id
    for lang in ("fr", "en"):
        assert sector.names[lang]
        assert len(sector.vocabulary[lang]) >= 5
        assert sector.proofs[lang] and sector.moments[lang] and sector.taboos[lang]
        assert len(sector.moments[lang]) == len(sector.moment_months)
        assert 2 <= len(sector.audiences) <= 4
        for audience in sector.audiences:
            assert audience.name[lang] and audience.pains[lang] and audience.desires[lang]
        if sector_id != GENERIC:
            assert sector.keywords[lang]
    assert sector.channels
    assert set(sector.regulated) <= set(book.topic_ids())
    assert all(m is None or 1 <= m <= 12 for m in sector.moment_months)


def test_vocabulary_is_the_category_s_own(book: SectorBook) -> None:
    cyber = {w.casefold() for w in book.get("cybersecurity").vocabulary["en"]}
    assert {"ransomware", "downtime", "nis2", "soc", "phishing"} <= cyber
    bakery = {w.casefold() for w in book.get("bakery_restaurants").vocabulary["fr"]}
    assert {"levain", "fournil", "viennoiseries"} <= bakery
    assert "tourbillon" in book.get("luxury_watches_jewellery").vocabulary["fr"]


def test_unknown_sector_id_gives_the_generic_sector(book: SectorBook) -> None:
    assert book.get("space_tourism").id == GENERIC
    assert book.get("").id == GENERIC


def test_the_book_is_cached() -> None:
    assert load_sectors() is load_sectors()


# ---- broken files ----

def _copy(tmp_path: Path) -> tuple[Path, Path]:
    sectors = tmp_path / "sectors"
    rules = tmp_path / "rules"
    shutil.copytree(SECTORS_DIR, sectors)
    shutil.copytree(RULES_DIR, rules)
    return sectors, rules


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PETS = "sectors/pets.yaml"


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    (PETS, "regulated: []", "regulated: []\nslogan: woof", ["pets", "slogan", "Extra inputs"]),
    (PETS, "regulated: []", "regulated: [pet_law]", ["pets", "unknown topics", "pet_law"]),
    (PETS, "channels: [instagram,", "channels: [pigeon, instagram,", ["pets", "pigeon"]),
    (PETS, "pet, pets, dog,", "Pet, pets, dog,", ["pets", "keywords.en", "'Pet'", "folded"]),
    (PETS, "desires: {fr: [le meilleur pour leur animal,", "desires: {fr: [le (pour, leur),",
     ["pets", "audiences.0.desires.fr", "quote items"]),
    (PETS, "id: pets", "id: animals", ["animals", "file name"]),
    (PETS, "taboos:", "taboo:", ["pets", "taboos", "Field required"]),
    (PETS, "pains: {fr:", "pains: {fr: , de:", ["pets"]),
    ("rules/gambling.yaml", "  us:\n", "  usa:\n", ["gambling", "checks"]),
    ("rules/gambling.yaml", "pattern: '\\bgagne", "pattern: '(\\bgagne",
     ["gambling", "bad regular expression"]),
    ("rules/alcohol.yaml", "priority: 1", "priority: 9", ["alcohol", "priority"]),
])
def test_a_broken_file_names_the_file_the_entry_and_the_reason(
        tmp_path: Path, file: str, old: str, new: str, expected: list[str]) -> None:
    sectors, rules = _copy(tmp_path)
    _break(tmp_path / file, old, new)
    with pytest.raises(SectorError) as caught:
        SectorBook.load(sectors, rules)
    message = str(caught.value)
    assert message.startswith(str(tmp_path / file)), message
    for part in expected:
        assert part in message, message


def test_unreadable_yaml_is_a_clear_error(tmp_path: Path) -> None:
    sectors, rules = _copy(tmp_path)
    (sectors / "pets.yaml").write_text("id: pets\nnames: {fr: [\n", encoding="utf-8")
    with pytest.raises(SectorError, match=r"pets\.yaml: cannot read"):
        SectorBook.load(sectors, rules)


def test_an_organisation_folder_adds_sectors_and_reports_its_broken_files(tmp_path: Path) -> None:
    org = tmp_path / "acme"
    (org / "sectors").mkdir(parents=True)
    own = (SECTORS_DIR / "pets.yaml").read_text(encoding="utf-8")
    own = own.replace("id: pets", "id: equestrian").replace(
        "pet, pets, dog, puppy,", "horse riding, equestrian centre, pony club,").replace(
        "animal de compagnie, animaux de compagnie,", "centre equestre, equitation, poney club,")
    (org / "sectors" / "equestrian.yaml").write_text(own, encoding="utf-8")
    (org / "sectors" / "broken.yaml").write_text("id: broken\nnames: {fr: x}\n", encoding="utf-8")
    book = SectorBook.load(extra_dirs=[org])
    assert "equestrian" in book.ids()
    assert book.detect("Portes ouvertes au poney club de Chantilly")[0] == "equestrian"
    assert len(book.errors) == 1 and "broken.yaml" in book.errors[0] and "broken" in book.errors[0]


# ---- detection: short real-looking briefs ----

DATA = Path(__file__).parent / "sectors_data"
DETECT = [(case["brief"], case["expected"], tuple(case.get("absent", ())))
          for case in yaml.safe_load((DATA / "detect.yaml").read_text(encoding="utf-8"))]
MARKETS = [(case["brief"], case["market"])
           for case in yaml.safe_load((DATA / "markets.yaml").read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("brief", "expected", "absent"), DETECT)
def test_a_brief_finds_its_sector(book: SectorBook, brief: str, expected: str,
                                  absent: tuple[str, ...]) -> None:
    found = book.detect(brief)
    assert found and found[0] == expected, found
    assert not set(found) & set(absent), found


def test_at_least_sixty_briefs_cover_every_sector(book: SectorBook) -> None:
    assert len(DETECT) >= 60
    assert {expected for _, expected, _ in DETECT} == set(book.ids()) - {GENERIC}


@pytest.mark.parametrize("brief", [
    "Hello, can you help me?",
    "Bonjour, j'ai une question",
    "5 angles for our new thing",
    "Our main pain point is awareness",
    "",
])
def test_nothing_fits_gives_no_sector(book: SectorBook, brief: str) -> None:
    assert book.detect(brief) == ()


def test_the_most_specific_sector_comes_first(book: SectorBook) -> None:
    found = book.detect("SaaS platform with a SOC and XDR to stop ransomware")
    assert found[:2] == ("cybersecurity", "b2b_software")


def test_a_single_word_of_the_other_language_does_not_count(book: SectorBook) -> None:
    # "pain" is bread in French; "legs", "chat" and "running" are words in both.
    assert book.detect("Running a business is hard: we chat with clients", "en") == ()
    assert "bakery_restaurants" in book.detect("Pain au levain et croissants", "fr")


# ---- market ----

@pytest.mark.parametrize(("brief", "market"), MARKETS)
def test_market_from_places_currencies_and_institutions(book: SectorBook, brief: str,
                                                        market: str) -> None:
    assert book.market_of(brief) == market
    assert reader_market_of(brief) == market  # what the brief reader stores


def test_the_parse_cache_gives_the_same_book_and_survives_damage(tmp_path: Path) -> None:
    fresh = SectorBook.load(cache_dir=tmp_path)
    assert (tmp_path / "sectors-yaml-cache.json").is_file()
    cached = SectorBook.load(cache_dir=tmp_path)
    brief = "Recrutement de 120 chauffeurs poids lourds en Auvergne, -20 % sur la formation"
    for book in (fresh, cached):
        assert book.ids() == fresh.ids()
        assert book.detect(brief) == fresh.detect(brief)
        assert book.checks(book.detect(brief), "fr", "fr", brief) == fresh.checks(
            fresh.detect(brief), "fr", "fr", brief)
    (tmp_path / "sectors-yaml-cache.json").write_text("{not json", encoding="utf-8")
    assert SectorBook.load(cache_dir=tmp_path).ids() == fresh.ids()


def test_a_cached_file_that_changed_is_read_again(tmp_path: Path) -> None:
    sectors, rules = _copy(tmp_path)
    cache = tmp_path / "cache"
    SectorBook.load(sectors, rules, cache_dir=cache)
    _break(sectors / "pets.yaml", "regulated: []", "regulated: [nope]")
    with pytest.raises(SectorError, match="nope"):
        SectorBook.load(sectors, rules, cache_dir=cache)


# Words that mean something else in the other language or in everyday briefs: never a
# keyword on their own (a phrase that contains them is fine: "pain au levain").
AMBIGUOUS = {
    "pain", "chat", "legs", "running", "course", "courses", "covers", "train", "montre",
    "location", "play", "library", "slots", "appeal", "don", "vet", "ferme", "commune",
    "administration", "credit", "investment", "shares", "bourse", "hebergement", "avocat",
    "couverts", "prix", "offre", "campagne", "marque", "brand", "produit", "product", "client",
}


def test_no_sector_keyword_is_an_ambiguous_single_word(book: SectorBook) -> None:
    for sector_id in book.ids():
        for lang, words in book.get(sector_id).keywords.items():
            bad = sorted(set(words) & AMBIGUOUS)
            assert not bad, f"{sector_id}: keywords.{lang}: {bad}"
