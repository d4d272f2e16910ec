"""Personal data kept from the LLM: found, replaced by placeholders, put back.

`Redaction` replaces e-mail addresses, phone numbers, IBANs and payment card
numbers with `[EMAIL_1]`, `[PHONE_1]`, `[IBAN_1]`, `[CARD_1]`… (the same value
always gets the same placeholder) and `restore` puts the originals back in the
model's answer. Detectors:

- phone numbers: Google's libphonenumber (`phonenumbers`, maintained, offline):
  French national formats (06 12 34 56 78, 01.23.45.67.89, 0612345678) and any
  international one (+44 20 7946 0958, 0033 6 …), each checked as a valid number;
- IBANs: a candidate pattern, then `python-stdnum`'s check (country length and
  mod-97), so "FR76 …" in a brief is caught and a product reference is not;
- card numbers: 13 to 19 digits (spaces or dashes allowed) passing the Luhn check;
- e-mail addresses: a pattern (their syntax is the whole test).

Presidio and scrubadub were considered (docs/security.md): the first needs a
spaCy language model downloaded at run time, the second is unmaintained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as iban_number
from stdnum import luhn

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,24}(?![\w-])")
# Two letters, two check digits, then 11 to 30 letters or digits in groups.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_PHONE_REGION = "FR"  # national numbers read as French; "+" and "00" numbers as dialled
_KINDS = ("EMAIL", "IBAN", "CARD", "PHONE")  # in this order: the first to claim a span keeps it


@dataclass
class Redaction:
    """One LLM call's placeholders: `redact` its inputs, `restore` its answer."""

    originals: dict[str, str] = field(default_factory=dict)  # placeholder -> value
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        spans: list[tuple[int, int, str]] = []
        for kind in _KINDS:
            spans += [(s, e, kind) for s, e in _find(kind, text)
                      if not any(s < e2 and s2 < e for s2, e2, _ in spans)]
        spans.sort()
        # Numbered in reading order; replaced from the end so offsets hold.
        names = [self._placeholder(kind, text[start:end]) for start, end, kind in spans]
        for (start, end, _), name in zip(reversed(spans), reversed(names), strict=True):
            text = text[:start] + name + text[end:]
        return text

    def restore(self, text: str) -> str:
        for placeholder, value in self.originals.items():
            text = text.replace(placeholder, value)
        return text

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, _compact(value) if kind != "EMAIL" else value.lower())
        found = self._by_value.get(key)
        if found is None:
            number = sum(1 for k, _ in self._by_value if k == kind) + 1
            found = self._by_value[key] = f"[{kind}_{number}]"
            self.originals[found] = value
        return found


def _compact(value: str) -> str:
    return re.sub(r"[\s.()-]", "", value)


def _find(kind: str, text: str) -> list[tuple[int, int]]:
    if kind == "EMAIL":
        return [m.span() for m in _EMAIL.finditer(text)]
    if kind == "IBAN":
        return [span for m in _IBAN.finditer(text) if (span := _iban_span(m)) is not None]
    if kind == "CARD":
        return [m.span() for m in _CARD.finditer(text) if luhn.is_valid(_compact(m.group()))]
    return [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, _PHONE_REGION)]


def _iban_span(match: re.Match[str]) -> tuple[int, int] | None:
    """The longest valid IBAN at the start of a candidate (which may run on
    into the next word written in capitals): tried at each group boundary."""
    raw = match.group()
    ends = [len(raw), *(i for i in range(len(raw) - 1, 14, -1) if raw[i] in " -")]
    for end in ends:
        if iban_number.is_valid(raw[:end]):
            return match.start(), match.start() + end
    return None


def redact(text: str) -> tuple[str, Redaction]:
    """`text` with its personal data replaced, and the redaction to restore it."""
    redaction = Redaction()
    return redaction.redact(text), redaction
