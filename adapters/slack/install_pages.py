"""The pages a person sees at the end of the Slack install flow, in their language.

Bolt's own pages are English-only and, on a bad state, just say "invalid
state"; these say what happened and offer to start again. The language is the
browser's (Accept-Language), else the bot's default.
"""

from __future__ import annotations

import html
import logging

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation

from bot.kernel.i18n import t
from bot.kernel.messages import Lang

log = logging.getLogger(__name__)

# Bolt's failure reasons -> our text.
_REASONS = {
    "invalid_browser": "slack.install.expired",
    "invalid_state": "slack.install.expired",
    "access_denied": "slack.install.cancelled",
    "storage_error": "slack.install.unavailable",
}


def browser_lang(request: AsyncBoltRequest, default: Lang) -> Lang:
    """The first of French or English the browser asks for, else `default`."""
    header = ",".join(request.headers.get("accept-language") or [])
    for part in header.split(","):
        head = part.split(";")[0].strip().lower()[:2]
        if head in ("fr", "en"):
            return head  # type: ignore[return-value]
    return default


def page(lang: Lang, *lines: str, link: tuple[str, str] | None = None) -> str:
    """A small self-contained HTML page; every text is escaped."""
    title = html.escape(t("slack.install.title", lang))
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    if link is not None:
        href, label = link
        body += f'<p><a href="{html.escape(href, quote=True)}">{html.escape(label)}</a></p>'
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head>"
            f'<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto">'
            f"<h1>{title}</h1>{body}</body></html>")


def _html(status: int, text: str) -> BoltResponse:
    return BoltResponse(status=status, body=text,
                        headers={"Content-Type": "text/html; charset=utf-8",
                                 "Cache-Control": "no-store"})


def open_slack_url(installation: Installation) -> str:
    """Where "Open Slack" leads, as Bolt's own page does: for an org-wide install,
    the org's page to add the app to its workspaces; else the app in the workspace."""
    app_id, team_id = installation.app_id, installation.team_id
    if installation.is_enterprise_install and installation.enterprise_url and app_id:
        return (f"{installation.enterprise_url}manage/organization/apps/profile/{app_id}"
                "/workspaces/add")
    if not team_id or not app_id:
        return "slack://open"
    return f"slack://app?team={team_id}&id={app_id}"


def install_callbacks(*, default_lang: Lang, install_path: str) -> AsyncCallbackOptions:
    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        lang = browser_lang(args.request, default_lang)
        installation = args.installation
        where = installation.team_name or installation.enterprise_name or "Slack"
        app = open_slack_url(installation)
        log.info("Slack installation saved: enterprise=%s team=%s org_wide=%s",
                 installation.enterprise_id, installation.team_id,
                 installation.is_enterprise_install)
        return _html(200, page(lang, t("slack.install.done", lang, workspace=where),
                               t("slack.install.next", lang),
                               link=(app, t("slack.install.open_slack", lang))))

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        lang = browser_lang(args.request, default_lang)
        log.warning("Slack installation refused: %s", args.reason)
        text = t(_REASONS.get(args.reason, "slack.install.failed"), lang)
        return _html(args.suggested_status_code,
                     page(lang, text, link=(install_path, t("slack.install.retry", lang))))

    return AsyncCallbackOptions(success=success, failure=failure)
