import random

from bot.learning.preferences import PreferenceModel

IDS = [f"s{i}" for i in range(18)]


def test_deltas_and_hash_round_trip() -> None:
    model = PreferenceModel()
    model.apply(PreferenceModel.deltas("like", "s1"))
    model.apply(PreferenceModel.deltas("validate", "s1"))
    model.apply(PreferenceModel.deltas("dislike", "s2"))
    model.apply(PreferenceModel.deltas("refine", "s3", {"tone": "playful"}))
    again = PreferenceModel.from_hash(model.to_hash())
    assert again == model
    assert again.positive["s1"] == 3.0
    assert again.negative["s2"] == 1.0
    assert again.style() == {"tone": "playful"}


def test_choose_returns_distinct_strategies_and_explores() -> None:
    model = PreferenceModel(positive={"s0": 30.0, "s1": 30.0})
    seen: set[str] = set()
    both = 0
    for seed in range(200):
        chosen = model.choose(IDS, 5, random.Random(seed))
        assert len(chosen) == len(set(chosen)) == 5
        both += {"s0", "s1"} <= set(chosen)
        seen |= set(chosen)
    assert both >= 180  # sampling, so not always, but nearly always
    # Exploration keeps every strategy in play.
    assert seen == set(IDS)


def test_choose_avoids_recent_while_possible() -> None:
    chosen = PreferenceModel().choose(IDS[:6], 5, random.Random(1), avoid=IDS[:3])
    assert len(chosen) == 5  # only 3 others remain, so the pool falls back to all


def test_disliked_strategies_sink() -> None:
    model = PreferenceModel(negative={"s0": 20.0})
    hits = sum("s0" in model.choose(IDS, 5, random.Random(seed), explore_slots=0)
               for seed in range(200))
    assert hits < 10


def test_top_ranks_by_evidence() -> None:
    model = PreferenceModel(positive={"a": 5, "b": 1}, negative={"c": 3})
    assert [s for s, _ in model.top(3)] == ["a", "b", "c"]


def test_fit_with_the_brief_shapes_a_new_users_answers() -> None:
    fit = {"s0": 1.0, "s1": 1.0, "s2": -1.0}
    model = PreferenceModel()
    picks = [model.choose(IDS, 5, random.Random(seed), fit=fit) for seed in range(400)]
    fitted, neutral = sum("s0" in p for p in picks), sum("s5" in p for p in picks)
    assert fitted > 2 * neutral
    assert sum("s2" in p for p in picks) < 20  # ruled out, even by exploration


def test_taste_outweighs_fit_over_time() -> None:
    model = PreferenceModel(positive={"s2": 10.0}, shown={"s2": 10.0})
    picks = [model.choose(IDS, 5, random.Random(seed), fit={"s2": -1.0}) for seed in range(400)]
    liked, neutral = sum("s2" in p for p in picks), sum("s5" in p for p in picks)
    assert liked > 1.5 * neutral
