import pytest

from bot.brief.brief_facts import brief_facts


@pytest.mark.parametrize(
    ("brief", "facts"),
    [
        ("Nous lançons une gourde isotherme pour la rentrée", {"product": "gourde isotherme"}),
        ("Des gourdes réutilisables pour les randonneurs",
         {"product": "gourdes réutilisables", "audience": "randonneurs"}),
        # A brief that opens on its subject names the offer.
        ("Festival Les Ondes à Nantes, 3 jours en juillet",
         {"brand": "Festival Les Ondes", "product": "Festival Les Ondes"}),
        # A brand, then its offer after a colon or a comma.
        ("Banque Rivage : prêt étudiant à 0,9 % sur 5 ans", {"brand": "Banque Rivage",
                                                            "product": "prêt étudiant"}),
        ("Domaine Kessler, crémant d'Alsace brut nature, pour les fêtes",
         {"brand": "Domaine Kessler", "product": "crémant d'Alsace brut nature"}),
        ("Wren & Wool makes knitwear from British wool",
         {"brand": "Wren & Wool", "product": "knitwear"}),
        ("Canal Quarter: 86 new-build apartments in Walthamstow",
         {"brand": "Canal Quarter", "product": "86 new-build apartments"}),
        ("We launch Trailpod, a solar camping lantern, at Q3 for weekend hikers",
         {"brand": "Trailpod", "product": "solar camping lantern", "audience": "weekend hikers"}),
        ("Nous lançons un livret d'épargne à 4 % pour les jeunes actifs",
         {"product": "livret d'épargne", "audience": "jeunes actifs"}),
        ("Maison Lenoir présente une montre à tourbillon, 88 pièces, pour les collectionneurs",
         {"brand": "Maison Lenoir", "product": "montre à tourbillon",
          "audience": "collectionneurs"}),
        ("On lance un logiciel SaaS de gestion de notes de frais pour les PME",
         {"product": "logiciel SaaS de gestion de notes de frais", "audience": "PME"}),
        ("attirer les jeunes actifs vers notre livret d'épargne", {"audience": "jeunes actifs"}),
        ("Promote our savings account to young professionals",
         {"product": "savings account", "audience": "young professionals"}),
        ("Lancer notre nouvelle glace pour enfants cet été",
         {"product": "glace", "audience": "enfants"}),
        ("We launch an insulated steel bottle for weekend hikers",
         {"product": "insulated steel bottle", "audience": "weekend hikers"}),
        ("Des idées pour la fête des pères", {}),
        # Nothing certain: nothing taken, the question will be asked.
        ("Des idées pour la rentrée", {}),
        ("We want to launch a campaign to boost sales",
         {"objective": "launch a campaign to boost sales"}),
        ("We are Cloudly, a B2B SaaS for HR teams; we want more demo requests",
         {"brand": "Cloudly", "product": "B2B SaaS", "audience": "HR teams",
          "objective": "more demo requests"}),
        ("Je lance Pilotis, on veut générer des leads",
         {"product": "Pilotis", "objective": "générer des leads"}),
        ("We need ideas for Mother's Day", {}),
    ],
)
def test_brief_facts(brief: str, facts: dict[str, str]) -> None:
    assert brief_facts(brief) == facts
