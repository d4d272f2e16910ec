"""No secret in a log line, in `Settings.describe()` or in `repr(Settings)`."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys

from bot.kernel.secrets import MaskingFilter, mask_secrets
from bot.kernel.settings import Settings

PASSWORD = "Redis-Pa55word-not-for-logs"
REDIS_URL = f"redis://default:{PASSWORD}@127.0.0.1:6399/0"


def test_describe_and_repr_mask_a_password_inside_redis_url() -> None:
    settings = Settings.from_env({"REDIS_URL": REDIS_URL, "SLACK_BOT_TOKEN": "xoxb-1-2-secret",
                                  "MICROSOFT_APP_PASSWORD": "ms-secret-value"})
    for text in (settings.describe(), repr(settings), str(settings)):
        assert PASSWORD not in text
        assert "xoxb-1-2-secret" not in text and "ms-secret-value" not in text
    assert "redis://default:[redacted]@127.0.0.1:6399/0" in settings.describe()
    assert "slack_bot_token=set" in settings.describe()  # still says what is configured


def test_mask_secrets_knows_the_usual_shapes() -> None:
    cases = {
        "rediss://:pw0rd@host:6380": "pw0rd",
        "Authorization: Bearer eyJhbGciOi.abc.def-ghi": "eyJhbGciOi",
        "xapp-1-A0123-456-abcdef": "abcdef",
        "OPENAI_API_KEY=sk-proj-abcdef123456": "abcdef123456",
        '{"client_secret": "s3cr3t-v4lue"}': "s3cr3t-v4lue",
        "password: hunter2!": "hunter2",
    }
    for text, secret in cases.items():
        assert secret not in mask_secrets(text), text
    ordinary = "conversation a:1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 failed (HTTP 503)"
    assert mask_secrets(ordinary) == ordinary  # ids stay readable


def test_the_filter_masks_arguments_and_tracebacks() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "connecting to %s", (REDIS_URL,),
                               None)
    try:
        raise ConnectionError(f"cannot reach {REDIS_URL}")
    except ConnectionError:
        record.exc_info = sys.exc_info()
    MaskingFilter().filter(record)
    assert PASSWORD not in record.getMessage()
    assert record.exc_text and "ConnectionError" in record.exc_text
    assert PASSWORD not in record.exc_text


def test_symbiose_teams_at_info_logs_no_password(tmp_path) -> None:
    """The reported leak: `symbiose teams` logged describe() with REDIS_URL in full."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_", "SYMBIOSE_"))}
    env |= {"REDIS_URL": REDIS_URL, "SYMBIOSE_LANG": "en", "PYTHONPATH": os.getcwd()}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--log-level", "DEBUG", "teams", "--port", str(port)],
        cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stderr is not None
        lines = []
        for _ in range(20):
            line = proc.stderr.readline()
            lines.append(line)
            if "Teams bot on" in line or not line:
                break
        logged = "".join(lines)
        assert "Teams bot on" in logged and "redis_url=" in logged
        assert PASSWORD not in logged
    finally:
        proc.terminate()
        proc.wait(timeout=20)
