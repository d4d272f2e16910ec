"""How an angle is stored: compact JSON, zlib-compressed.

Shortlists and liked examples hold whole angles (the user's own material), and
they dominate a user's memory footprint; compression halves it. Plain JSON
written by earlier versions still reads.
"""

from __future__ import annotations

import zlib

import orjson

from bot.kernel.messages import Angle

_MAGIC = b"z2:"
# A preset dictionary: the JSON keys and words every angle repeats. zlib uses it
# to compress short texts much better; changing it needs a new _MAGIC.
_ZDICT = (
    b'{"n":,"id":"","strategy":"","title":"","hook":"","rationale":"","channel":"",'
    b'"to_validate":["","strategy_name":""} de la les des du une un et pour avec votre vos notre '
    b"nos est que qui dans sur pas en \xc3\xa0 \xc3\xa9 the and for with your our that is of to "
    b"in on a an it this marque brand cible audience objectif objective ton tone "
)


def pack_angle(angle: Angle) -> bytes:
    raw = orjson.dumps(angle.to_dict())
    packer = zlib.compressobj(9, zdict=_ZDICT)
    return _MAGIC + packer.compress(raw) + packer.flush()


def unpack_angle(data: bytes | str) -> Angle:
    if isinstance(data, str):
        data = data.encode()
    if data.startswith(_MAGIC):
        unpacker = zlib.decompressobj(zdict=_ZDICT)
        data = unpacker.decompress(data[len(_MAGIC):]) + unpacker.flush()
    return Angle.from_dict(orjson.loads(data))
