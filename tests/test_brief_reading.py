"""The offline reader's parts, one at a time: figures, exclusions, statements, concerns,
the brief model's sources, and the language of a message."""

from __future__ import annotations

import pytest

from bot.brief.concerns import concerns
from bot.brief.exclusions import exclusions
from bot.brief.figures import figures
from bot.brief.model import BriefModel
from bot.brief.reader import read_brief
from bot.brief.statements import bare_statements, leaves_it_open
from bot.ideas.exclusions import default_guard
from bot.kernel.lang import detect


@pytest.mark.parametrize(("text", "expected"), [
    ("Nous lançons un livret à 4 % brut pour les jeunes actifs", ["4 % brut"]),
    ("Budget 8 000 € HT, 88 pièces numérotées", ["8 000 €", "88 pièces numérotées"]),
    ("on veut recruter cent vingt chauffeurs", ["120 chauffeurs"]),
    ("We raised £2.5m and run 14 night shelters.", ["£2.5m", "14 night shelters"]),
    ("Forfait 20 Go à 9,99 €/mois", ["20 Go", "9,99 €/mois"]),
    ("Ridgeback tent, 1.1 kg, $449, from CA$22", ["1.1 kg", "$449", "CA$22"]),
    ("cible 18-30 ans, 30 000 festivaliers", ["18-30 ans", "30 000 festivaliers"]),
    ("2 fois plus vite, 3 ways to win", []),
])
def test_figures_are_kept_as_written(text: str, expected: list[str]) -> None:
    assert [f.text for f in figures(text, "fr")] == expected


@pytest.mark.parametrize(("text", "keys"), [
    ("We never discount, and no puns please.", {"discount", "puns"}),
    ("Pas de promo, jamais de prix barrés.", {"discount"}),
    ("sans jargon, sans emoji, no influencers", {"jargon", "emoji", "influencers"}),
    ("et pas d'anglicismes s'il vous plaît", {"anglicisms"}),
    ("Don't compare us to Stardew Valley", {"comparison"}),
    ("no 'strongest ever' claims", {"superlatives"}),
    ("Vouvoiement, aucune forme d'humour", {"tutoiement", "humour"}),
    ("Le tourisme dans l'Aubrac, pas seulement l'été", {"season_only"}),
    ("Our shop closes on Black Friday", {"occasion"}),
    # No false alarm: a negated tone word, a seasonal wish, a promotion asked for.
    ("Tone: expert but not boring", set()),
    ("on veut booster les ventes de Noël", set()),
    ("Black Friday: -30 % sur tout", set()),
    ("un peu d'humour OK", set()),
])
def test_exclusions(text: str, keys: set[str]) -> None:
    assert {e.key for e in exclusions(text)} == keys


def test_a_season_and_an_occasion_say_which() -> None:
    found = {e.key: e for e in exclusions("Pas seulement l'été ; fermé le Black Friday")}
    season = found["season_only"]
    assert season.text == "Pas seulement l'été"  # said back in the user's words
    assert default_guard().season_ruled_out(season, BriefModel()) == "summer"
    assert "Black Friday" in found["occasion"].text
    off_season = exclusions("On veut des séjours hors saison")[0]
    assert default_guard().season_ruled_out(off_season, BriefModel()) == "summer"


@pytest.mark.parametrize(("text", "expected"), [
    ("..., objectif ouvertures de comptes", {"objective": "ouvertures de comptes"}),
    ("objective is lead gen / demo requests, tone expert but not boring",
     {"objective": "lead gen / demo requests", "tone": "expert but not boring"}),
    ("ton honnête, direct, respectueux", {"tone": "honnête, direct, respectueux"}),
    ("And the objective is actually qualified sales meetings",
     {"objective": "qualified sales meetings"}),
    ("Et surtout pas de ton snob, we want it approachable and fun.",
     {"tone": "approachable and fun"}),
    ("l'offre s'appelle Pack Aidants : 10 heures de répit", {"product": "Pack Aidants"}),
    ("Ton produit est génial", {}),
    ("the product is made in France", {}),
])
def test_field_words_without_a_colon(text: str, expected: dict[str, str]) -> None:
    assert bare_statements(text) == expected


def test_a_field_left_to_symbiose_is_not_a_value() -> None:
    assert leaves_it_open("Up to you, but no before/after photos")
    assert leaves_it_open("à vous de voir")
    assert not leaves_it_open("warm and up to date")
    model = read_brief("Clear aligners for adults 25-45. Tone? Up to you.", "en")
    assert model.left_open == ("tone",) and not model.get("tone")


def test_concerns_are_the_briefs_own_words() -> None:
    found = concerns("We launch Sentinel XDR for companies worried about ransomware and "
                     "downtime; NIS2 is coming.", "en", ["ransomware", "NIS2", "downtime"],
                     skip=["Sentinel XDR"])
    assert found[:3] == ("ransomware", "downtime", "NIS2") and "XDR" in found
    assert "coming" not in found  # a verb form says nothing of the brief


def test_sources_never_let_an_assumption_or_a_guess_overwrite_what_was_said() -> None:
    model = BriefModel().with_fields({"tone": "rassurant"}, "said")
    model = model.with_fields({"tone": "chaleureux"}, "extracted")
    model = model.with_fields({"tone": "neutre", "audience": "tous publics"}, "assumed")
    assert model.get("tone") == "rassurant" and model.source("tone") == "said"
    assert model.source("audience") == "assumed"
    assert model.known(facts_only=True) == {"tone": "rassurant"}
    later = model.with_fields({"audience": "jeunes actifs"}, "extracted")
    assert later.get("audience") == "jeunes actifs"  # a reading beats an assumption
    assert BriefModel.from_dict(later.to_dict()) == later


def test_a_reading_keeps_everything_a_brief_says() -> None:
    model = read_brief("Boulangerie de quartier à Leeds : sourdough bread, we never discount "
                       "and the shop closes on Black Friday. Budget £3,000.", "en")
    assert model.market == "uk"
    assert {e.key for e in model.exclusions} >= {"discount", "occasion"}
    assert model.occasion == ""  # an occasion the brand stays out of is no occasion
    assert [f.text for f in model.figures] == ["£3,000"]
    assert "sourdough" in model.concerns


@pytest.mark.parametrize(("text", "lang"), [
    ("We're launching Sentinel XDR for mid-size companies. Objective: demo requests. "
     "Cible : DSI de PME, ton expert", "en"),
    ("Nous lançons un livret d'épargne pour les jeunes actifs, tone: friendly", "fr"),
    ("the third one is too corporate", "en"),
    ("la 2 est trop banale", "fr"),
])
def test_the_language_is_the_majoritys(text: str, lang: str) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize(("text", "expected"), [
    ("16-25 Railcard holders get 1/3 off", ["16-25 Railcard holders", "1/3 off"]),
    ("Goal: 8,000 new policies in Q2, for owners 25-40 who just adopted, at 380 today",
     ["8,000 new policies", "Q2", "25-40"]),
    ("Inscriptions avant le 14/02, 2/3 des places déjà prises", ["14/02", "2/3"]),
])
def test_ranges_shares_and_short_dates_stay_whole(text: str, expected: list[str]) -> None:
    assert [f.text for f in figures(text, "en")] == expected


@pytest.mark.parametrize(("text", "field", "expected"), [
    # The group comes before a preposition, and after "from" in "more sign-ups from".
    ("Ledgerline automates accounts payable for finance teams at mid-size manufacturers. "
     "Goal: demo requests.", "audience", "finance teams at mid-size manufacturers"),
    ("Open day on 12 October for undergraduate courses. We want more sign-ups from "
     "sixth-formers in the Midlands.", "audience", "sixth-formers in the Midlands"),
    ("Northline Rail wants more students travelling home by train at the end of term. "
     "Goal: ticket sales through our app.", "audience", "students travelling home"),
    # The goal names what is sold when nothing else does.
    ("Northline Rail wants more students travelling home by train at the end of term. "
     "Goal: ticket sales through our app.", "product", "tickets"),
    ("Office du tourisme de Durbuy : attirer les familles le week-end. "
     "Objectif : réservations d'hébergements via notre site.", "product", "hébergements"),
])
def test_the_reader_finds_who_and_what_in_a_sentence(text: str, field: str, expected: str) -> None:
    assert read_brief(text).get(field) == expected


def test_places_are_not_an_audience() -> None:
    model = read_brief("Fibrely: full-fibre broadband for rural villages in Wales, £35 a month.")
    assert model.get("audience") == "" and model.get("product") == "full-fibre broadband"


@pytest.mark.parametrize(("text", "occasion"), [
    ("University of Kelmsford open day on 12 October", "open day"),
    ("Concession Peugeot : nos journées portes ouvertes les 14 et 15 mars",
     "journées portes ouvertes"),
    ("Le musée ouvre ses nocturnes du jeudi aux 18-25 ans", "les nocturnes"),
])
def test_open_days_and_late_openings_are_occasions(text: str, occasion: str) -> None:
    assert occasion in read_brief(text).occasion


def test_a_tone_keeps_only_the_tone() -> None:
    model = read_brief("Chez Mado, bistrot à Lyon, lance un brunch le dimanche. Ton chaleureux et "
                       "un peu gouailleur, tutoiement ok, jamais de réduction ni de code promo.")
    assert model.get("tone") == "chaleureux et un peu gouailleur"
    assert model.address == "tu" and "discount" in {e.key for e in model.exclusions}
    assert read_brief("Marque : Azur. Ton : sobre. Vouvoiement.").address == "vous"
    assert read_brief("Banque Azur : pas de tutoiement, ton sobre.").address == "vous"


def test_a_goal_ends_at_its_semicolon_and_rules_in_sentences_are_kept() -> None:
    model = read_brief("Brief pour Novacoat, éditeur SaaS de maintenance prédictive pour les "
                       "lignes d'extrusion. Objectif : 120 démos qualifiées d'ici juin ; notre "
                       "taux de conversion est de 18 %. Ton expert et sobre, pas de jeux de mots. "
                       "Ne jamais dire que l'outil remplace les techniciens.")
    assert model.get("objective") == "120 démos qualifiées d'ici juin"
    assert (model.get("brand"), model.get("product")) == ("Novacoat",
                                                          "SaaS de maintenance prédictive")
    assert model.get("tone") == "expert et sobre"
    others = [e.text for e in model.exclusions if e.key == "other"]
    assert others == ["Ne jamais dire que l'outil remplace les techniciens"]
    assert not {"sobre", "outil", "remplace"} & set(model.concerns)


def test_a_hiring_brief_sells_its_jobs_and_keeps_its_benefits() -> None:
    model = read_brief("Transports Berthier, transporteur régional basé à Montauban, doit recruter "
                       "120 conducteurs poids lourds en Occitanie. Nos atouts : retour à la maison "
                       "tous les soirs, camions récents, prime d'ancienneté.")
    assert "conducteurs poids lourds" in model.get("product")
    assert model.get("benefits").startswith("retour à la maison tous les soirs")


def test_targets_and_budgets_are_not_facts_to_advertise() -> None:
    model = read_brief("Maison Lecoq lance un cidre brut bio. Objectif : être référencé chez 200 "
                       "cavistes en un an. Budget 600 €, bouteille de 75 cl.")
    kinds = {f.text: f.kind for f in model.figures}
    assert kinds == {"200 cavistes": "target", "600 €": "budget", "75 cl": "quantity"}


def test_what_to_include_is_a_must_not_a_tone() -> None:
    model = read_brief("Lucky Lane Bingo, a UK-licensed online bingo site. Tone: friendly and "
                       "community-led, always include safer gambling messaging, and nothing that "
                       "could appeal to under-25s.")
    assert model.get("tone") == "friendly and community-led"
    assert model.musts == ("safer gambling messaging",)
    assert any("under-25s" in e.text for e in model.exclusions)


@pytest.mark.parametrize(("text", "audience"), [
    ("Nought, alcohol-free pale ale. Dry January push, aimed at 25-45 drinkers who don't want "
     "to miss the pub.", "25-45 drinkers"),
    ("The Harbour Museum starts monthly Lates. We want 18-35s who think museums are for school "
     "trips.", "18-35s"),
    ("Friterie Chez Mimi fête ses 40 ans. On veut du monde sur la place, surtout les étudiants "
     "et les familles du quartier.", "étudiants et les familles du quartier"),
])
def test_age_bands_and_emphasis_name_the_audience(text: str, audience: str) -> None:
    assert read_brief(text).get("audience") == audience


@pytest.mark.parametrize(("text", "audience"), [
    ("We're launching Gourdo, an insulated bottle, for urban students at back to school.",
     "urban students"),
    ("Une gourde pour les étudiants à la rentrée", "étudiants"),
])
def test_an_occasion_after_the_audience_is_when_not_who(text: str, audience: str) -> None:
    assert read_brief(text).get("audience") == audience


def test_left_open_fields_and_the_address_reach_the_conversation() -> None:
    model = read_brief("Smile Studio, dental clinic in Cardiff: clear aligners. We want "
                       "consultations booked. Tone? Up to you, but no before/after photos.")
    assert model.left_open == ("tone",) and model.get("tone") == ""
    assert read_brief("Friterie Chez Mimi à Liège : cornet à 4 €.").get("brand") == \
        "Friterie Chez Mimi"


@pytest.mark.parametrize(("text", "product"), [
    ("Harvest Table, farm-to-table restaurant in Portland. Thanksgiving prix fixe, $65 per "
     "person, 4 courses.", "Thanksgiving prix fixe"),
    ("The Linton, a 22-room boutique hotel in Bath. Midweek spa breaks at £189 per night.",
     "Midweek spa breaks"),
    ("brief rapide : torréfacteur à Marseille, abonnement café en grains livré tous les 15 "
     "jours, 16 € le kilo", "abonnement café"),
    ("Loopcart is a marketplace for refurbished electronics, 12-month warranty.",
     "marketplace for refurbished electronics"),
    ("Teamloop is an onboarding platform for HR teams at scale-ups.", "onboarding platform"),
])
def test_the_offer_is_what_is_sold_not_who_sells_it(text: str, product: str) -> None:
    assert read_brief(text).get("product") == product


def test_a_goal_with_its_people_after_with() -> None:
    model = read_brief("ChargeGrid installs EV chargers for workplaces and retail car parks in "
                       "the UK. We want to book site surveys with facilities managers at "
                       "companies with 200+ staff.")
    assert model.get("objective") == "book site surveys"
    assert model.get("audience").startswith("facilities managers")


def test_the_people_a_goal_wants_and_an_offer_a_business_calls_its_own() -> None:
    mairie = read_brief("La mairie lance la prise de rendez-vous en ligne pour les cartes "
                        "d'identité et passeports. On veut que les habitants l'utilisent au lieu "
                        "d'appeler l'accueil.")
    assert mairie.get("audience") == "habitants"
    optician = read_brief("Opticien indépendant à Metz, on veut faire connaître notre examen de "
                          "vue offert. Jamais de prix barrés.")
    assert optician.get("product") == "examen de vue offert"


# From a blind reading of 40 briefs written as people write them on Slack (2nd session).
@pytest.mark.parametrize(("text", "expected"), [
    ("Hey team - client is Peoplely, HR software for SMEs (50-500 staff). Goal: book 300 demos "
     "in Q1.", {"brand": "Peoplely", "product": "HR software"}),
    ("Charity: Paws Rescue UK. We want to drive monthly giving (£5 a month) over Christmas.",
     {"brand": "Paws Rescue UK"}),
    ("Public sector brief: NHS Blood and Transplant wants more first-time blood donors.",
     {"brand": "NHS Blood and Transplant"}),
    ("Lumen Lab - vitamin C serum 15%, £28. Launch on Boots.com in March.",
     {"brand": "Lumen Lab", "product": "vitamin C serum"}),
    ("Croquettes Félina Senior pour chats de plus de 10 ans, marque Félina. Ton tendre.",
     {"brand": "Félina", "product": "Croquettes Félina Senior", "tone": "tendre"}),
    ("Brief Renault-like mais pour la marque Volterra : nouveau SUV électrique compact V3.",
     {"brand": "Volterra", "product": "SUV électrique compact V3"}),
    ('Salon Vinexpo... non pardon, notre propre salon : "Agri Demain" les 14 et 15 mars.',
     {"product": '"Agri Demain"'}),
    ("need ideas for Loopd, a music streaming app. objective: 50k sign-ups by end of Freshers "
     "week. tone playful, cheeky. no puns", {"objective": "50k sign-ups by end of Freshers week",
                                             "tone": "playful, cheeky"}),
    ("Objet : forfait mobile jeunes. On veut recruter 30 000 nouvelles lignes avant Noël.",
     {"product": "forfait mobile jeunes"}),
    ("Pour la Ville de Lyon : campagne pour inciter les habitants à trier leurs biodéchets.",
     {"audience": "habitants"}),
])
def test_briefs_as_people_write_them(text: str, expected: dict[str, str]) -> None:
    model = read_brief(text)
    assert {k: model.get(k) for k in expected} == expected


@pytest.mark.parametrize(("text", "rules", "musts"), [
    ("Interdit : promettre un montant d'économies, parler de gratuit pour l'installation.",
     ["promettre un montant d'économies; parler de gratuit pour l'installation"], []),
    ("À éviter : humour sur la vieillesse, jargon assurance", ["humour sur la vieillesse",
                                                             "jargon assurance"], []),
    ("OZEV grant no longer applies so dont mention grants.", ["dont mention grants"], []),
    ("Never show animals in distress. Mention Gift Aid.", ["Never show animals in distress"],
     ["Gift Aid"]),
    ("No alcohol-led messaging, kids under 12 go free (must mention).",
     ["No alcohol-led messaging"], ["kids under 12 go free"]),
    ("Tarif réduit pour les moins de 26 ans, à citer.", [], ["Tarif réduit pour les moins de "
                                                            "26 ans"]),
])
def test_rules_and_must_includes_in_the_users_words(text: str, rules: list[str],
                                                    musts: list[str]) -> None:
    model = read_brief(text)
    assert [e.text for e in model.exclusions] == rules
    assert list(model.musts) == musts


# From a second blind reading of 40 new one-line briefs.
def test_one_line_labelled_briefs_and_their_labels() -> None:
    model = read_brief("Marque : Lysa Paris / Produit : sérum éclat / Cible : femmes 30-45 / "
                       "Ton : chic")
    assert {k: model.get(k) for k in ("brand", "product", "audience", "tone")} == {
        "brand": "Lysa Paris", "product": "sérum éclat", "audience": "femmes 30-45",
        "tone": "chic"}
    assert read_brief("Gin brand: Fenwick & Moor. Tone: dry wit.").get("brand") == \
        "Fenwick & Moor"
    assert read_brief("Offre : box apéro. KPI : 3 000 box vendues").get("objective") == \
        "3 000 box vendues"


@pytest.mark.parametrize(("text", "figure"), [
    ("Abonnement à £29.99/mo", "£29.99/mo"), ("from $19 a month", "$19 a month"),
    ("une recette à -30 % de sucre", "-30 %"),
])
def test_a_price_keeps_its_unit_and_a_change_its_sign(text: str, figure: str) -> None:
    assert figure in [f.text for f in figures(text, "en")]


def test_a_rule_after_but_never_leaves_the_tone() -> None:
    model = read_brief("Tiffin Box, Indian meal kits. Tone: warm and a bit irreverent but never "
                       "mock Indian culture. Goal: trials. Never name competitors (Gousto, "
                       "HelloFresh).")
    assert model.get("tone") == "warm and a bit irreverent"
    assert [e.text for e in model.exclusions] == [
        "never mock Indian culture", "Never name competitors (Gousto, HelloFresh)"]
