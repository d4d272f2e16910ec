"""Twenty briefs for bench/bench_writing.py, with their brief model built by hand.

Written as a marketer would send them, in French and English, across sectors
(several regulated), with the concerns, figures, occasions and exclusions a
careful reading finds. Kept apart from the bench so tests can use them too.
"""

from __future__ import annotations

from bot.brief.model import BriefModel, Exclusion, Figure, Item


def _model(
    text: str,
    lang: str,
    *,
    fields: dict[str, str],
    concerns: tuple[str, ...],
    sectors: tuple[str, ...] = (),
    market: str = "",
    occasion: str = "",
    figures: tuple[tuple[str, str], ...] = (),
    exclusions: tuple[tuple[str, str], ...] = (),
) -> BriefModel:
    return BriefModel(
        text=text,
        lang=lang,
        fields={k: Item(v, "said") for k, v in fields.items()},
        exclusions=tuple(Exclusion(k, t) for k, t in exclusions),
        sectors=sectors,
        market=market,
        occasion=occasion,
        concerns=concerns,
        figures=tuple(Figure(t, k) for t, k in figures),
    )


BRIEFS: tuple[BriefModel, ...] = (
    _model(
        "Cyberpilot, cyber-assurance pour les PME : ransomware, NIS2 et sauvegardes. "
        "4 % des PME attaquées ferment dans l'année. Jamais de promo.",
        "fr",
        fields={
            "brand": "Cyberpilot",
            "product": "une cyber-assurance",
            "audience": "les dirigeants de PME",
        },
        concerns=("ransomware", "NIS2", "la sauvegarde"),
        sectors=("insurance", "cybersecurity"),
        market="fr",
        figures=(("4 %", "percent"),),
        exclusions=(("discount", "jamais de promo"),),
    ),
    _model(
        "Maison Aubrac, boulangerie au levain à Rodez. Pas de jeux de mots. "
        "Pain de 72 heures de fermentation.",
        "fr",
        fields={
            "brand": "Maison Aubrac",
            "product": "un pain au levain",
            "audience": "les familles du quartier",
        },
        concerns=("le levain", "l'Aubrac", "la fermentation lente"),
        sectors=("bakery_restaurants",),
        market="fr",
        figures=(("72 heures", "duration"),),
        exclusions=(("puns", "pas de jeux de mots"),),
    ),
    _model(
        "Leeds sourdough bakery, opening a second shop. Never discount. We close on Black Friday.",
        "en",
        fields={
            "brand": "Rise & Crumb",
            "product": "sourdough bread",
            "audience": "Leeds families",
        },
        concerns=("sourdough", "the second shop", "Leeds"),
        sectors=("bakery_restaurants",),
        market="uk",
        exclusions=(("discount", "never discount"), ("occasion", "Black Friday")),
    ),
    _model(
        "Horlogerie Vallée de Joux : un tourbillon à 88 pièces, pour collectionneurs. "
        "Aucun superlatif.",
        "fr",
        fields={
            "brand": "Atelier Lémance",
            "product": "une montre à tourbillon",
            "audience": "les collectionneurs",
        },
        concerns=("le tourbillon", "la Vallée de Joux", "le finissage"),
        sectors=("luxury_watches_jewellery",),
        market="eu",
        figures=(("88 pièces", "count"),),
        exclusions=(("superlatives", "aucun superlatif"),),
    ),
    _model(
        "Festival Les Nuits du Lac: our line-up drops in March, 12,000 tickets, no influencers.",
        "en",
        fields={
            "brand": "Les Nuits du Lac",
            "product": "festival passes",
            "audience": "music fans aged 20 to 35",
        },
        concerns=("the line-up", "camping", "the lake stage"),
        sectors=("events_festivals",),
        market="eu",
        figures=(("12,000 tickets", "count"),),
        exclusions=(("influencers", "no influencers"),),
    ),
    _model(
        "Pastilles pour la gorge au miel, en pharmacie. Pas d'humour.",
        "fr",
        fields={
            "brand": "Mielgorge",
            "product": "des pastilles pour la gorge",
            "audience": "les adultes enrhumés",
        },
        concerns=("le mal de gorge", "le miel", "la pharmacie"),
        sectors=("otc_medicines",),
        market="fr",
        exclusions=(("humour", "pas d'humour"),),
    ),
    _model(
        "Charity appeal for a children's hospice in Bristol: £50 funds a night of care. "
        "No fear, no guilt.",
        "en",
        fields={
            "brand": "Little Lanterns",
            "product": "a monthly donation",
            "audience": "Bristol donors",
        },
        concerns=("a night of care", "the hospice", "families"),
        sectors=("charities",),
        market="uk",
        figures=(("£50", "money"),),
        exclusions=(("fear", "no fear"),),
    ),
    _model(
        "Crédit immobilier : taux fixe à 3,2 % pour les primo-accédants, 25 ans.",
        "fr",
        fields={
            "brand": "Banque Orée",
            "product": "un crédit immobilier",
            "audience": "les primo-accédants",
        },
        concerns=("le taux fixe", "le premier achat", "l'apport"),
        sectors=("credit_loans", "real_estate"),
        market="fr",
        figures=(("3,2 %", "percent"), ("25 ans", "duration")),
    ),
    _model(
        "Vélos électriques cargo pour familles urbaines. Pas seulement l'été : toute l'année. "
        "Jamais de tutoiement.",
        "fr",
        fields={
            "brand": "Cargobi",
            "product": "un vélo cargo électrique",
            "audience": "les familles urbaines",
        },
        concerns=("le vélo cargo", "l'école à vélo", "la pluie"),
        sectors=("automotive_mobility",),
        market="fr",
        exclusions=(("season_only", "pas seulement l'été"), ("tutoiement", "jamais de tutoiement")),
    ),
    _model(
        "Craft gin from Islay, 46% ABV, launching in UK bars. No urgency tactics.",
        "en",
        fields={"brand": "Machir Spirits", "product": "an Islay gin", "audience": "bartenders"},
        concerns=("Islay botanicals", "the peat", "the bar trade"),
        sectors=("alcohol",),
        market="uk",
        figures=(("46% ABV", "percent"),),
        exclusions=(("urgency", "no urgency tactics"),),
    ),
    _model(
        "Logiciel de paie pour cabinets comptables : DSN, fin de mois, 120 clients migrés.",
        "fr",
        fields={
            "brand": "Payflow",
            "product": "un logiciel de paie",
            "audience": "les experts-comptables",
        },
        concerns=("la DSN", "la fin de mois", "la migration"),
        sectors=("b2b_software",),
        market="fr",
        figures=(("120 clients", "count"),),
    ),
    _model(
        "Organic baby food pouches, no added sugar, for parents of toddlers. No emoji.",
        "en",
        fields={
            "brand": "Sprout & Spoon",
            "product": "baby food pouches",
            "audience": "parents of toddlers",
        },
        concerns=("no added sugar", "weaning", "toddlers"),
        sectors=("food_products",),
        market="us",
        exclusions=(("emoji", "no emoji"),),
    ),
    _model(
        "Agence de recrutement pour infirmières en Île-de-France, 300 postes ouverts.",
        "fr",
        fields={
            "brand": "Soins+ Recrutement",
            "product": "des postes d'infirmière",
            "audience": "les infirmières",
        },
        concerns=("les horaires", "le soin", "l'équipe"),
        sectors=("recruitment", "health_services"),
        market="fr",
        figures=(("300 postes", "count"),),
    ),
    _model(
        "Home insurance for renters in London, claims paid in 48 hours. No comparison with "
        "competitors.",
        "en",
        fields={
            "brand": "Keystone Cover",
            "product": "renters insurance",
            "audience": "London renters",
        },
        concerns=("burst pipes", "the deposit", "claims"),
        sectors=("insurance",),
        market="uk",
        figures=(("48 hours", "duration"),),
        exclusions=(("comparison", "no comparison"),),
    ),
    _model(
        "Crème solaire minérale, certifiée, pour la rentrée des vacances. Sans jargon.",
        "fr",
        fields={
            "brand": "Solène",
            "product": "une crème solaire minérale",
            "audience": "les peaux sensibles",
        },
        concerns=("les filtres minéraux", "la peau sensible", "le soleil"),
        sectors=("beauty_cosmetics",),
        market="fr",
        occasion="la rentrée",
        exclusions=(("jargon", "sans jargon"),),
    ),
    _model(
        "B2B SaaS for fleet managers: 120 drivers, fuel costs, EV transition.",
        "en",
        fields={"brand": "Fleetwise", "product": "fleet software", "audience": "fleet managers"},
        concerns=("fuel costs", "the EV transition", "driver safety"),
        sectors=("b2b_software", "automotive_mobility"),
        market="us",
        figures=(("120 drivers", "count"),),
    ),
    _model(
        "Fromagerie de l'Aubrac : la tome fraîche et l'aligot pour Noël.",
        "fr",
        fields={
            "brand": "Fromagerie Laguiole",
            "product": "de la tome fraîche",
            "audience": "les amateurs de fromage",
        },
        concerns=("la tome fraîche", "l'aligot", "le lait cru"),
        sectors=("agriculture_local_produce", "food_products"),
        market="fr",
        occasion="Noël",
    ),
    _model(
        "Online poker room launching a beginners' league. Responsible gambling first.",
        "en",
        fields={
            "brand": "RiverClub",
            "product": "a beginners' poker league",
            "audience": "adult beginners",
        },
        concerns=("the beginners' league", "bankroll limits", "poker"),
        sectors=("gaming_gambling",),
        market="uk",
        exclusions=(("celebrity", "no celebrities"),),
    ),
    _model(
        "Association d'aide aux devoirs : 40 bénévoles, collecte de fin d'année.",
        "fr",
        fields={"brand": "Les Cartables", "product": "un don mensuel", "audience": "les donateurs"},
        concerns=("l'aide aux devoirs", "les bénévoles", "le décrochage"),
        sectors=("charities", "education_training"),
        market="fr",
        figures=(("40 bénévoles", "count"),),
        occasion="la fin d'année",
    ),
    _model(
        "Eco-friendly laundry pods, refillable tin, plastic-free. No superlatives, no fear.",
        "en",
        fields={
            "brand": "Tidy Tin",
            "product": "laundry pods",
            "audience": "eco-minded households",
        },
        concerns=("plastic-free", "the refillable tin", "cold washes"),
        sectors=("home_diy",),
        market="uk",
        exclusions=(("superlatives", "no superlatives"), ("fear", "no fear")),
    ),
)
