"""Activities as the JSON the Bot Connector reads: what `Activity.serialize()`
(msrest) returns, about ten times faster.

msrest looks at each of an Activity's ~60 attributes through key transformers
and type dispatch, then walks every value of every Adaptive Card the same way:
0.7 ms for one angle card, most of a burst's CPU once the HTTP calls are async.
This walks the same `_attribute_map`s, skips what is unset, copies plain JSON
as it is, and hands anything unusual (dates, enums in `object` fields, models
it does not know) back to msrest, value by value. `tests/teams/test_wire.py`
checks that the output equals `serialize()` for everything the bot sends.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import Any

from botbuilder.schema import Attachment
from msrest.serialization import Model, Serializer

_BASIC = {"str": str, "bool": bool, "int": int, "float": float}
_PLAIN = (str, int, float, bool)
# msrest types with their own formatting (dates, numbers as strings, bytes...).
_SPECIAL = frozenset(Serializer().serialize_type)


def activity_json(activity: Model) -> dict[str, Any]:
    return _model(activity)


class CardAttachment(Attachment):
    """An attachment whose `content` is plain JSON already (an Adaptive Card built
    by adapters.teams.cards from strings, numbers, booleans, lists and dicts): it
    goes on the wire as it is, not walked value by value (half of an answer's
    rendering time). msrest's `serialize()` gives the same JSON (test_wire.py)."""


def _card_attachment(obj: CardAttachment) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr, key in (("content_type", "contentType"), ("content", "content"),
                      ("content_url", "contentUrl"), ("name", "name"),
                      ("thumbnail_url", "thumbnailUrl")):
        value = getattr(obj, attr, None)
        if value is not None:
            out[key] = value
    return out


@lru_cache(maxsize=256)
def _fields(cls: type[Model]) -> tuple[tuple[str, str, str], ...] | None:
    """(attribute, JSON key, msrest type) of a model class, or None when msrest
    must do it (flattened "a.b" keys, read-only or catch-all attributes)."""
    fields = []
    for attr, desc in cls._attribute_map.items():
        key = desc["key"]
        if "." in key or not key or cls._validation.get(attr, {}).get("readonly"):
            return None
        fields.append((attr, key, desc["type"]))
    return tuple(fields)


@lru_cache(maxsize=256)
def _msrest(cls: type[Model]) -> Serializer:
    return Serializer(cls._infer_class_models())


def _model(obj: Model) -> dict[str, Any]:
    cls = type(obj)
    if cls is CardAttachment:
        return _card_attachment(obj)  # type: ignore[arg-type]  # checked just above
    fields = _fields(cls)  # type: ignore[arg-type]  # mypy#11470: type[X] is Hashable
    if fields is None:
        return obj.serialize()
    out: dict[str, Any] = {}
    for attr, key, kind in fields:
        value = getattr(obj, attr, None)
        if value is not None:
            out[key] = _typed(value, kind, cls)
    return out


def _typed(value: Any, kind: str, owner: type[Model]) -> Any:
    basic = _BASIC.get(kind)
    if basic is not None:
        return _text(value) if basic is str else basic(value)
    if kind == "object":
        return _object(value, owner)
    if kind[0] == "[" and kind[-1] == "]" and type(value) is list:
        return [None if v is None else _typed(v, kind[1:-1], owner) for v in value]
    if kind[0] == "{" and kind[-1] == "}" and type(value) is dict:
        return {
            _text(k): None if v is None else _typed(v, kind[1:-1], owner) for k, v in value.items()
        }
    if isinstance(value, Model) and kind not in _SPECIAL:
        return _model(value)
    # dates, enums, the unexpected
    return _msrest(owner).serialize_data(value, kind)  # type: ignore[arg-type]  # mypy#11470


def _object(value: Any, owner: type[Model]) -> Any:
    """msrest's `serialize_object`: exact dicts and lists are walked, basic types kept."""
    kind = type(value)
    if kind is dict:  # (strings and numbers inline: a card has a few hundred of them)
        return {k if type(k) is str else _text(k): v if type(v) in _PLAIN else _object(v, owner)
                for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _PLAIN else _object(v, owner) for v in value]
    if kind in _PLAIN:
        return value
    if value is None:
        return None
    if isinstance(value, Model):
        return _model(value)
    return _msrest(owner).serialize_object(value)  # type: ignore[arg-type]  # mypy#11470


def _text(value: Any) -> str:
    return value.value if isinstance(value, Enum) else str(value)  # msrest's serialize_unicode
