"""Which market a brief is for (it decides which rules apply): until the sector book is in."""

from __future__ import annotations

import re

from bot.brief.brand import fold

_MARKETS = (
    ("uk", re.compile(r"\b(?:uk|u\.k\.|united kingdom|england|scotland|wales|britain|british|"
                      r"london|"
                      r"leeds|manchester|birmingham|bristol|edinburgh|glasgow|liverpool|nhs|kent|midlands|"
                      r"yorkshire|cornwall|devon|cairngorms|highlands|cardiff|belfast|newcastle|"
                      r"sheffield|nottingham|oxford|cambridge|brighton|sussex|surrey|essex)\b|£")),
    ("us", re.compile(r"\b(?:us|u\.s\.|usa|united states|america|american|new york|california|"
                      r"texas|chicago)\b|\$")),
    ("fr", re.compile(r"\b(?:france|francais|francaise|paris|lyon|marseille|toulouse|nantes|"
                      r"bordeaux|lille|rennes|strasbourg|montpellier|nice|aubrac|bretagne|"
                      r"normandie|provence|alsace|rhone-alpes|auvergne|occitanie|bourgogne|dijon|rouen|"
                      r"angers|tours|brest|rennes|grenoble|reims|ile-de-france|hauts-de-france|"
                      r"pays de la loire|nouvelle-aquitaine|jura|drome|savoie|corse)\b")),
    ("eu", re.compile(r"\b(?:belgique|belgium|bruxelles|brussels|allemagne|germany|espagne|spain|"
                      r"italie|italy|europe|european|europeen|europeenne|eu|ue)\b")),
)


def market_of(text: str) -> str:
    folded = fold(text)
    for market, pattern in _MARKETS:
        if pattern.search(folded) or (market == "uk" and "£" in text):
            return market
    return ""
