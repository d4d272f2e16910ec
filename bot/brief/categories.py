"""Which field a short phrase is about, by its words: objective, tone, audience or channels.

"notoriété", "décalé", "étudiants", "sur Facebook": objectives, tones, audiences
and channels come from small vocabularies, so a keyword match places a phrase
when nothing labels it. Used to read answers and briefs alike.
"""

from __future__ import annotations

import re

from bot.brief.brand import fold

VOCABULARY: dict[str, frozenset[str]] = {
    "objective": frozenset(
        """notoriete awareness visibilite visibility lancement launch lancer conversion
        conversions ventes vente sales vendre sell leads lead prospects acquisition acquerir
        fidelisation fidelite loyalty retention recrutement recruitment recruter trafic traffic
        engagement image inscriptions signups sign-ups downloads telechargements
        considération consideration preference demo demos demande demandes requests rdv
        appointments reservations bookings adhesions dons donations donors benevoles
        volunteers souscriptions souscription subscriptions abonnements essais essai trials trial
        rendez-vous consultations consultation devis quotes quote visites visits viewings
        listings referencements referencement pre-orders precommandes candidatures applications
        dons adhesions footfall frequentation couverts reservations telechargements leads
        ouvertures openings portabilites sign-ups signups enrolments enrollments inscriptions
        ventes conversions""".split()
    ),
    "tone": frozenset(
        """decale decalee chaleureux chaleureuse expert experte premium playful fun drole
        humour humoristique humorous warm serieux serieuse serious ludique inspirant
        inspiring bienveillant caring audacieux bold impertinent cheeky institutionnel
        corporate luxe luxury pedagogique educational rassurant reassuring complice friendly
        amical emotional emotionnel poetique poetic familier casual formel formal
        minimaliste minimal tone ton engage engagee militant militante committed activist
        sobre elegant elegante raffine raffinee refined luxueux dynamique positif positive
        optimiste optimistic light leger legere fun sympa decontracte relaxed direct
        authentique authentic chic respectueux respectueuse
        respectful honnete honest franc franche frank straight-talking sincere sincère clair
        claire clear simple pratique practical concret concrete chaleureuse joyful joyeux
        joyeuse festif festive insolent insolente malicieux malicieuse espiegle witty spirituel
        calme calm serein sereine confident confiant confiante assured understated discret
        discrete grounded welcoming accueillant accueillante unpretentious generous genereux
        homey cosy cozy romantique romantic trustworthy fiable humble fier fiere proud
        neighbourly bienveillante tendre tender doux douce gentle vivant lively energique
        energetic punchy percutant percutante pop rock elegant sophisticated sophistique
        ironique ironic quirky offbeat irreverent irreverencieux solennel rassurante""".split()
    ),
    # Where it will run: "et on sera surtout en affichage et sur Facebook" is no tone.
    "channels": frozenset(
        """facebook instagram insta tiktok linkedin youtube twitter snapchat pinterest twitch
        radio tv television tele affichage billboard billboards outdoor ooh presse press print
        newsletter newsletters emailing email e-mail mailing sms podcast podcasts spotify
        assemblies assemblees abribus metro flyers flyer leaflets leaflet catalogue courrier
        display influence blog vitrine vitrines""".split()
    ),
    "audience": frozenset(
        """etudiants etudiant students student parents parent jeunes young familles families
        seniors retraites retirees femmes women hommes men enfants kids ados teens teenagers
        adolescents millennials gen genz boomers cadres managers executives dirigeants
        professionnels professionals b2b pme smb entreprises companies dsi cto cmo marketeurs
        marketers urbains urban actifs sportifs athletes gamers joueurs voyageurs travellers
        travelers proprietaires owners locataires tenants patients medecins doctors
        developpeurs developers artisans commercants retailers acheteurs buyers
        consommateurs consumers fans abonnes subscribers people gens personnes habitants
        residents locals riverains voisins neighbours neighbors savers epargnants commuters
        navetteurs drivers chauffeurs conducteurs nurses infirmiers infirmieres candidats
        candidates donateurs donors supporters membres members adherents clients customers
        acheteurs shoppers touristes tourists visiteurs visitors festivaliers spectateurs
        lecteurs readers joueurs players collectionneurs collectors amateurs passionnes
        enthusiasts couples mamans mums moms papas dads grands-parents grandparents
        retraites salaries employees employes independants freelances artisans entrepreneurs
        founders fondateurs ceo cfo cisos ciso rssi dirigeants owners homeowners landlords
        buyers renters tenants familles families foyers households menages aidants carers
        caregivers adults adultes adults millennials boomers seniors jeunes young teens
        youngsters kids""".split()
    ),
}
# An answer that starts with one of these verbs states a goal ("faire venir plus de clients").
GOAL_VERBS = frozenset(
    """faire attirer augmenter vendre recruter fideliser generer developper booster doubler
    convaincre lancer gagner obtenir get increase drive grow bring boost generate win attract
    sell recruit raise double convert more plus davantage fill book hire reach remplir reserver
    embaucher inciter encourager pousser amener convaincre aider""".split()
)


def category(part: str) -> str | None:
    """'objective', 'tone' or 'audience' when the words say so (and only one), else None."""
    ordered = re.findall(r"[a-z-]+", fold(part))
    if ordered and ordered[0] in GOAL_VERBS:
        return "objective"
    words = set(ordered)
    hits = [name for name, vocab in VOCABULARY.items() if words & vocab]
    return hits[0] if len(hits) == 1 else None
