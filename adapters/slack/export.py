"""An export reply on Slack: the document as a canvas, or a Markdown file.

`canvases.create` makes the canvas (tabbed in the channel where that is
possible); where canvases are not available (a plan or a workspace setting
refuses them), the same Markdown is uploaded as a file in the thread, through
files.getUploadURLExternal / files.completeUploadExternal (slack_sdk's
files_upload_v2). Either way a short message says where the document is.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from adapters.slack.render import text_message
from adapters.slack.thread import SLACK_ERRORS, Thread, describe
from bot.kernel.i18n import t
from bot.kernel.messages import Document, Lang

log = logging.getLogger(__name__)


async def share(thread: Thread, document: Document, lang: Lang) -> str:
    """Deliver the document; returns how ("canvas", "file" or "none")."""
    client = thread.client
    try:
        created = await client.canvases_create(
            title=document.title,
            document_content={"type": "markdown", "markdown": document.markdown},
        )
        canvas_id = str(created.get("canvas_id") or "")
    except SlackApiError as exc:
        log.info("canvas not available (%s); attaching a Markdown file", describe(exc))
        return await _as_file(thread, document, lang)
    except SLACK_ERRORS as exc:
        log.warning("canvases.create failed: %s", describe(exc))
        return await _as_file(thread, document, lang)
    link = await _share_canvas(thread, canvas_id)
    text = t("slack.export.canvas", lang, title=document.title)
    if link.startswith("https://"):
        text += f" [{t('slack.export.open', lang)}]({link})"
    try:
        await thread.post(text_message(text))
    except SLACK_ERRORS as exc:
        log.warning("could not announce the canvas: %s", describe(exc))
    return "canvas"


async def _share_canvas(thread: Thread, canvas_id: str) -> str:
    """Let the channel read the canvas; its link, when Slack gives one."""
    client = thread.client
    try:
        await client.canvases_access_set(canvas_id=canvas_id, access_level="read",
                                         channel_ids=[thread.channel])
    except SLACK_ERRORS as exc:
        log.info("canvases.access.set failed: %s", describe(exc))
    try:
        info = await client.files_info(file=canvas_id)
        return str((info.get("file") or {}).get("permalink") or "")
    except SLACK_ERRORS as exc:
        log.info("files.info failed for the canvas: %s", describe(exc))
        return ""


async def _as_file(thread: Thread, document: Document, lang: Lang) -> str:
    try:
        await thread.client.files_upload_v2(
            channel=thread.channel,
            thread_ts=thread.thread_ts,
            filename=document.filename,
            title=document.title,
            content=document.markdown,
            snippet_type="markdown",
            initial_comment=t("slack.export.file", lang),
        )
    except SLACK_ERRORS as exc:
        log.warning("could not upload the export file: %s", describe(exc))
        try:
            await thread.post(text_message(t("slack.export.failed", lang)))
        except SLACK_ERRORS:
            pass
        return "none"
    return "file"
