from bot.brief.brand import BrandContext, field_for, parse_fields


def test_fields_in_french_and_english() -> None:
    text = "Marque: Gourdo\nCible : étudiants\nObjective: awareness\nton: décalé\nfoo: bar"
    assert parse_fields(text) == {
        "brand": "Gourdo",
        "audience": "étudiants",
        "objective": "awareness",
        "tone": "décalé",
    }


def test_several_fields_on_one_line() -> None:
    assert parse_fields("Marque : Gourdo, Cible : randonneurs; Ton: chaleureux, complice") == {
        "brand": "Gourdo", "audience": "randonneurs", "tone": "chaleureux, complice"}


def test_field_aliases_fold_accents_and_case() -> None:
    assert field_for("OFFRE") == "product"
    assert field_for("Concurrents") == "competitors"
    assert field_for("Canaux") == "channels"
    assert field_for("tone of voice") == "tone"
    assert field_for("colour") is None


def test_a_sentence_with_a_colon_is_not_a_field() -> None:
    assert parse_fields("Idea: we could sponsor the marathon") == {}


def test_brand_round_trips_through_storage_and_tracks_assumptions() -> None:
    brand = BrandContext().updated({"brand": "Gourdo", "audience": "students"})
    assumed = brand.updated({"tone": "warm"}, assumed=True)
    assert assumed.assumed == {"tone"}
    restored = BrandContext.from_mapping(assumed.to_mapping())
    assert restored == assumed
    assert restored.missing() == ["product", "objective"]
    told = restored.updated({"tone": "playful"})
    assert told.assumed == frozenset()


def test_render_uses_the_language_labels() -> None:
    brand = BrandContext(brand="Gourdo", audience="étudiants")
    assert "**Cible**" in brand.render("fr")
    assert "**Audience**" in brand.render("en")


def test_a_sentence_keeps_its_text_and_gives_its_fields() -> None:
    from bot.brief.brand import split_fields

    fields, rest = split_fields("Banque Azur lance un livret pour les jeunes actifs, "
                                "objectif : ouvertures de comptes")
    assert fields == {"objective": "ouvertures de comptes"}
    assert rest == "Banque Azur lance un livret pour les jeunes actifs"
    assert split_fields("Budget : 20 k€\nSecteur : banque") == (
        {"constraints": "Budget : 20 k€; Secteur : banque"}, "")
