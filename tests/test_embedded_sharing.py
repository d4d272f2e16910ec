"""The embedded store shared by two `symbiose chat` on one home: no write of
either is lost, and a file that cannot be read is kept aside, not overwritten."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.brief.brand import BrandContext
from bot.kernel.conversation import ConversationState
from bot.store.embedded import EmbeddedStore
from bot.store.keys import Keys
from bot.store.user_store import Changes, UserStore

FIELDS = ["Brand", "Product", "Audience", "Objective", "Tone", "Values"]


def chat(data_dir: Path, user: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBIOSE_", "REDIS_"))}
    env |= {"SYMBIOSE_DATA_DIR": str(data_dir), "PYTHONPATH": os.getcwd()}
    return subprocess.Popen([sys.executable, "-m", "bot", "chat", "--json", "--user", user,
                             "--lang", "en"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def say(proc: subprocess.Popen[str], line: str) -> dict:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


async def test_two_chats_on_one_home_lose_no_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    alice, bob = chat(data, "alice"), chat(data, "bob")
    try:
        # Interleaved: each saves between the other's saves, as two terminals would.
        for field in FIELDS:
            assert say(alice, f"{field}: alice-{field.lower()}")["kind"] == "brand"
            assert say(bob, f"{field}: bob-{field.lower()}")["kind"] == "brand"
        # And each sees what the other saved, without restarting.
        assert say(alice, "brand")["kind"] == "brand"
    finally:
        for proc in (alice, bob):
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(timeout=60)
    # What is on disk afterwards, read as a third run would.
    store = EmbeddedStore(data / "store.json")
    await store.restore()
    users = UserStore(store.redis, Keys(), conversation_ttl_s=3600, feedback_log_max=50)
    for user in ("alice", "bob"):
        brand = (await users.load(f"console:{user}", "-")).brand
        for field in FIELDS:
            assert brand.get(field.lower()) == f"{user}-{field.lower()}", (user, field)
    await store.aclose()


async def test_a_store_sees_another_process_saves_before_it_reads(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    one, two = EmbeddedStore(path), EmbeddedStore(path)
    await one.restore()
    await two.restore()
    store_one = UserStore(one.redis, Keys(), conversation_ttl_s=3600, feedback_log_max=50,
                          after_write=one.save, before_read=one.refresh)
    store_two = UserStore(two.redis, Keys(), conversation_ttl_s=3600, feedback_log_max=50,
                          after_write=two.save, before_read=two.refresh)
    await store_one.save("u", "c", Changes(conversation=ConversationState(brief="first"),
                                           brand=BrandContext(brand="Gourdo")))
    await store_two.save("v", "c", Changes(conversation=ConversationState(brief="second"),
                                           brand=BrandContext(brand="Acme")))
    assert (await store_two.load("u", "c")).brand.brand == "Gourdo"
    assert (await store_one.load("v", "c")).brand.brand == "Acme"
    await store_one.forget("u")  # a deletion travels too
    assert not (await store_two.load("u", "c")).brand.brand
    await one.aclose()
    await two.aclose()


async def test_an_unreadable_store_is_kept_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    truncated = '{"version": 1, "keys": {"symbiose:{u}:brand": [0, "AAEC'
    path.write_text(truncated)
    store = EmbeddedStore(path)
    assert await store.restore() == 0
    users = UserStore(store.redis, Keys(), conversation_ttl_s=3600, feedback_log_max=50,
                      after_write=store.save)
    await users.save("u", "c", Changes(conversation=ConversationState(brief="b")))
    await store.aclose()
    backups = list(tmp_path.glob("store.json.unreadable-*"))
    assert len(backups) == 1 and backups[0].read_text() == truncated
    assert json.loads(path.read_text())["keys"]  # the new store, beside the old one
    assert time.time() - backups[0].stat().st_mtime < 600
