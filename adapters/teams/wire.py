"""Activities as the JSON the Bot Connector reads.

`Activity.serialize()` (msrest) walks every value of every attachment, key by
key, with type checks: about 0.7 ms for one angle card, most of a burst's CPU.
An Adaptive Card is already plain JSON (a dict built by `cards`), so it is put
into the output as is; msrest still serializes the activity around it and any
attachment content that is an SDK model (e.g. a thumbnail card). The result is
the same JSON (`tests/teams/test_wire.py`).
"""

from __future__ import annotations

import copy
from typing import Any

from botbuilder.schema import Activity


def activity_json(activity: Activity) -> dict[str, Any]:
    attachments = activity.attachments or []
    plain = [isinstance(a.content, dict) for a in attachments]
    if not any(plain):
        return activity.serialize()
    shell = copy.copy(activity)  # shallow: the caller's activity is left untouched
    shell.attachments = []
    for attachment, is_plain in zip(attachments, plain):
        if is_plain:
            attachment = copy.copy(attachment)
            attachment.content = None
        shell.attachments.append(attachment)
    body = shell.serialize()
    for out, attachment, is_plain in zip(body["attachments"], attachments, plain):
        if is_plain:
            out["content"] = attachment.content
    return body
