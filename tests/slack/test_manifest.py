"""deploy/slack-manifest.yaml: valid for Slack, and in step with the code.

Neither slack_sdk nor slack_bolt ships Slack's manifest JSON schema, so the
part of it this app uses is written out below (field names, types, Slack's
length limits, no unknown keys); then the manifest is checked against the
code: every Web API method the adapter calls has its scope, no scope is
unused, every event and command the app listens to is subscribed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "deploy" / "slack-manifest.yaml"
ADAPTER = ROOT / "adapters" / "slack"


def _obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False}


_STR = {"type": "string"}
_BOOL = {"type": "boolean"}
_URL = {"type": "string", "pattern": "^https://"}
SCHEMA = _obj({
    "_metadata": _obj({"major_version": {"type": "integer"},
                       "minor_version": {"type": "integer"}}),
    "display_information": _obj({
        "name": {"type": "string", "minLength": 1, "maxLength": 35},
        "description": {"type": "string", "maxLength": 140},
        "long_description": {"type": "string", "minLength": 175, "maxLength": 4000},
        "background_color": {"type": "string", "pattern": "^#([0-9a-fA-F]{3}){1,2}$"},
    }, ("name",)),
    "features": _obj({
        "app_home": _obj({"home_tab_enabled": _BOOL, "messages_tab_enabled": _BOOL,
                          "messages_tab_read_only_enabled": _BOOL}),
        "bot_user": _obj({"display_name": {"type": "string", "minLength": 1, "maxLength": 80},
                          "always_online": _BOOL}, ("display_name",)),
        "assistant_view": _obj({
            "assistant_description": {"type": "string", "minLength": 1, "maxLength": 1000},
            "suggested_prompts": {"type": "array", "maxItems": 4, "items": _obj({
                "title": {"type": "string", "minLength": 1, "maxLength": 75},
                "message": {"type": "string", "minLength": 1, "maxLength": 2000},
            }, ("title", "message"))},
        }, ("assistant_description",)),
        "slash_commands": {"type": "array", "maxItems": 50, "items": _obj({
            "command": {"type": "string", "pattern": "^/[a-z0-9_-]{1,31}$"},
            "description": {"type": "string", "minLength": 1, "maxLength": 2000},
            "usage_hint": {"type": "string", "maxLength": 1000},
            "should_escape": _BOOL,
            "url": _URL,
        }, ("command", "description"))},
    }),
    "oauth_config": _obj({
        "redirect_urls": {"type": "array", "items": _URL},
        "scopes": _obj({"bot": {"type": "array", "items": _STR, "uniqueItems": True},
                        "user": {"type": "array", "items": _STR, "uniqueItems": True}}),
    }),
    "settings": _obj({
        "event_subscriptions": _obj({
            "request_url": _URL,
            "bot_events": {"type": "array", "items": _STR, "uniqueItems": True},
            "user_events": {"type": "array", "items": _STR, "uniqueItems": True},
        }),
        "interactivity": _obj({"is_enabled": _BOOL, "request_url": _URL,
                               "message_menu_options_url": _URL}, ("is_enabled",)),
        "org_deploy_enabled": _BOOL,
        "socket_mode_enabled": _BOOL,
        "token_rotation_enabled": _BOOL,
    }),
}, ("display_information",))

# Web API methods (as slack_sdk names them) -> the bot scope each needs; None: no scope.
METHOD_SCOPES: dict[str, str | None] = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_startStream": "chat:write",
    "chat_appendStream": "chat:write",
    "chat_stopStream": "chat:write",
    "users_info": "users:read",
    "views_publish": None,
    "views_open": None,
    "assistant_threads_setStatus": "assistant:write",
    "assistant_threads_setSuggestedPrompts": "assistant:write",
    "assistant_threads_setTitle": "assistant:write",
    "canvases_create": "canvases:write",
    "canvases_access_set": "canvases:write",
    "files_info": "files:read",
    "files_upload_v2": "files:write",
}
# What the listeners subscribe to (adapters/slack/listeners.py) -> manifest event, scope.
EVENTS = {"app_mention": ("app_mention", "app_mentions:read"),
          "message": ("message.im", "im:history"),
          "app_home_opened": ("app_home_opened", None)}
# The AI app mode's events, taken by Bolt's Assistant middleware (adapters/slack/assistant.py):
# listener registration -> manifest event, scope.
ASSISTANT_EVENTS = {"assistant.thread_started(": ("assistant_thread_started", "assistant:write"),
                    "AsyncAssistant(": ("assistant_thread_context_changed", "assistant:write"),
                    "assistant.user_message(": ("message.im", "im:history")}
_CALL = re.compile(
    r"\.((?:chat|users|views|conversations|reactions|assistant|files|pins|canvases)_\w+)\(")


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(ADAPTER.glob("*.py")))


def test_manifest_matches_slacks_schema(manifest: dict[str, Any]) -> None:
    jsonschema.validate(manifest, SCHEMA)


def test_scopes_are_exactly_what_the_code_uses(manifest: dict[str, Any]) -> None:
    called = set(_CALL.findall(_source()))
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scope of {sorted(unknown)} to METHOD_SCOPES and the manifest"
    needed = ({METHOD_SCOPES[m] for m in called} | {s for _, s in EVENTS.values()}
              | {s for _, s in ASSISTANT_EVENTS.values()} | {"commands"})
    needed.discard(None)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_events_command_home_and_interactivity_are_declared(manifest: dict[str, Any]) -> None:
    source = _source()
    for listened, (subscribed, _) in EVENTS.items():
        assert f'app.event("{listened}")' in source
        assert subscribed in manifest["settings"]["event_subscriptions"]["bot_events"]
    for registered, (subscribed, _) in ASSISTANT_EVENTS.items():
        assert registered in source
        assert subscribed in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "app.use(AssistantPane(" in source
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/glossary" and 'app.command("/glossary")' in source
    assert command["should_escape"] is False  # the term arrives as typed
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert home["messages_tab_read_only_enabled"] is False  # DMs are how people brainstorm
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_socket_mode_or_every_request_url(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    if settings["socket_mode_enabled"]:
        return
    urls = [settings["event_subscriptions"].get("request_url"),
            settings["interactivity"].get("request_url"),
            *[c.get("url") for c in manifest["features"]["slash_commands"]]]
    assert all(u and u.endswith("/slack/events") for u in urls), urls


def test_http_mode_variant_is_valid_too(manifest: dict[str, Any]) -> None:
    """What the README tells an admin to do for HTTP mode: uncomment the three URL
    lines and turn Socket Mode off. The result must still be a valid manifest."""
    text = MANIFEST.read_text(encoding="utf-8")
    commented = re.findall(r"^\s*# (?:url|request_url): https://\S+/slack/events$", text, re.M)
    assert len(commented) == 3
    http = re.sub(r"^(\s*)# ((?:url|request_url): https://)", r"\1\2", text, flags=re.M)
    http = http.replace("socket_mode_enabled: true", "socket_mode_enabled: false")
    variant = yaml.safe_load(http)
    jsonschema.validate(variant, SCHEMA)
    test_socket_mode_or_every_request_url(variant)


def test_distribution_asks_for_the_manifest_scopes_and_hears_uninstalls(
    manifest: dict[str, Any],
) -> None:
    from adapters.slack.oauth import BOT_SCOPES, REDIRECT_PATH

    assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)
    # The redirect URL an admin uncomments is the path the app serves, and stays valid.
    text = MANIFEST.read_text(encoding="utf-8")
    distributed = re.sub(r"^(\s*)# (redirect_urls:|  - https://\S+/slack/oauth_redirect)",
                         r"\1\2", text, flags=re.M)
    variant = yaml.safe_load(distributed)
    [url] = variant["oauth_config"]["redirect_urls"]
    assert url.endswith(REDIRECT_PATH)
    jsonschema.validate(variant, SCHEMA)


def test_assistant_view_prompts_match_the_english_suggested_prompts(
    manifest: dict[str, Any]
) -> None:
    """The manifest's prompts are the default shown before the app sets the user's own."""
    from adapters.slack.assistant import suggested_prompts

    assert manifest["features"]["assistant_view"]["suggested_prompts"] == suggested_prompts("en")
