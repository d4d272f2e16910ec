"""Slack views: the App Home tab and the "refine" modal (Block Kit view payloads)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from adapters.slack.blocks import md
from adapters.slack.mrkdwn import escape, markdown_to_mrkdwn, plain
from adapters.slack.render import split_text
from bot.brief.brand import FIELDS, LABELS
from bot.kernel.i18n import t
from bot.kernel.messages import Angle, Lang

REFINE_CALLBACK = "sym_refine"
REFINE_BLOCK = "instruction"
REFINE_INPUT = "text"
HOME_SHORTLIST_MAX = 15
HOME_CHANNELS_MAX = 20  # a Home view holds 100 blocks; the rest stay one `brands` away


class Profile(Protocol):
    """What `engine.profile()` returns (bot.engine.UserProfile)."""

    brand: Any
    top_strategies: list[tuple[str, str, float]]
    shortlist: list[Angle]
    channels: list[Any]  # bot.engine.ChannelProfile: channel, label, brand, taste_text
    taste_text: str  # markdown: what was learned of the user's taste


def home_view(profile: Profile, lang: Lang) -> dict[str, Any]:
    blocks: list[Any] = [
        HeaderBlock(text=PlainTextObject(text=plain(t("slack.home.title", lang), 150))),
        SectionBlock(text=md(markdown_to_mrkdwn(t("slack.home.intro", lang)))),
        DividerBlock(),
        SectionBlock(text=md(f"*{escape(t('slack.home.brand', lang))}*")),
    ]
    brand_lines = []
    for name in FIELDS:
        value = getattr(profile.brand, name, "") or ""
        if value:
            brand_lines.append(f"**{LABELS[name][lang]}**: {value}")
    brand_text = "\n".join(brand_lines) or t("slack.home.no_brand", lang)
    blocks += [SectionBlock(text=md(c)) for c in split_text(markdown_to_mrkdwn(brand_text), 3000)]

    blocks += [DividerBlock(), SectionBlock(text=md(f"*{escape(t('slack.home.taste', lang))}*"))]
    taste = profile.taste_text
    blocks.append(
        SectionBlock(text=md(markdown_to_mrkdwn(taste or t("slack.home.no_taste", lang))))
    )
    blocks += channel_blocks(profile.channels, lang)

    blocks += [
        DividerBlock(),
        SectionBlock(text=md(f"*{escape(t('slack.home.shortlist', lang))}*")),
    ]
    shortlist = profile.shortlist
    if not shortlist:
        blocks.append(SectionBlock(text=md(escape(t("slack.home.no_shortlist", lang)))))
    for angle in shortlist[:HOME_SHORTLIST_MAX]:
        text = f"**{angle.title}**  _{angle.strategy_name or angle.strategy}_\n> {angle.hook}"
        blocks.append(SectionBlock(text=md(split_text(markdown_to_mrkdwn(text), 3000)[0])))
    if len(shortlist) > HOME_SHORTLIST_MAX:
        more = t("slack.home.more", lang, count=len(shortlist) - HOME_SHORTLIST_MAX)
        blocks.append(ContextBlock(elements=[md(escape(more))]))
    return View(type="home", blocks=blocks).to_dict()


def channel_blocks(channels: list[Any], lang: Lang) -> list[Any]:
    """The brand (and collective taste) of each channel the user works in.
    `<#C1>` is Slack's own channel link: it shows the channel's current name."""
    blocks: list[Any] = [DividerBlock(),
                         SectionBlock(text=md(f"*{escape(t('slack.home.channels', lang))}*"))]
    if not channels:
        blocks.append(SectionBlock(text=md(escape(t("slack.home.no_channels", lang)))))
    for channel in channels[:HOME_CHANNELS_MAX]:
        lines = [f"**{LABELS[name][lang]}**: {channel.brand.get(name)}"
                 for name in FIELDS if channel.brand.get(name)]
        if channel.taste_text:
            lines += ["", t("slack.home.channel_taste", lang), channel.taste_text]
        body = markdown_to_mrkdwn("\n".join(lines) or t("brands_channel_empty", lang))
        head = f"<#{escape(channel.channel)}>" if channel.channel[:1] in "CG" else \
            f"*{escape(channel.label or channel.channel)}*"
        blocks.append(SectionBlock(text=md(split_text(head + "\n" + body, 3000)[0])))
    return blocks


@dataclass(frozen=True, slots=True)
class RefineTarget:
    """Where a refine modal came from, carried in the view's private_metadata."""

    angle_id: str
    n: int
    team: str
    channel: str
    thread_ts: str
    lang: Lang

    def dump(self) -> str:
        return json.dumps(
            [self.angle_id, self.n, self.team, self.channel, self.thread_ts, self.lang]
        )

    @classmethod
    def load(cls, raw: str) -> RefineTarget | None:
        try:
            angle_id, n, team, channel, thread_ts, lang = json.loads(raw)
            return cls(str(angle_id), int(n), str(team), str(channel), str(thread_ts),
                       "en" if lang == "en" else "fr")
        except (ValueError, TypeError):
            return None


def refine_modal(target: RefineTarget) -> dict[str, Any]:
    lang = target.lang
    field = PlainTextInputElement(
        action_id=REFINE_INPUT,
        multiline=True,
        max_length=500,
        placeholder=PlainTextObject(text=plain(t("slack.refine.placeholder", lang), 150)),
    )
    return View(
        type="modal",
        callback_id=REFINE_CALLBACK,
        private_metadata=target.dump(),
        title=PlainTextObject(text=plain(t("slack.refine.title", lang, n=target.n), 24)),
        submit=PlainTextObject(text=plain(t("slack.refine.submit", lang), 24)),
        close=PlainTextObject(text=plain(t("slack.refine.cancel", lang), 24)),
        blocks=[
            InputBlock(
                block_id=REFINE_BLOCK,
                label=PlainTextObject(text=plain(t("slack.refine.label", lang), 2000)),
                element=field,
                optional=True,
            )
        ],
    ).to_dict()


def refine_instruction(state_values: Mapping[str, Any]) -> str:
    """The text typed in the refine modal ('' when left empty)."""
    value = (state_values.get(REFINE_BLOCK) or {}).get(REFINE_INPUT) or {}
    return str(value.get("value") or "").strip()
