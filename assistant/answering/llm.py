"""The optional chat model: built from settings by LangChain's ``init_chat_model``, or None (extractive only)."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from assistant.errors import ModelUnavailable
from assistant.settings import Settings

_SETTING = "ASSISTANT_CHAT_MODEL"


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model ``settings.chat_model`` names ("openai:gpt-4o-mini"), or None when none is set."""
    name = (settings.chat_model or "").strip()
    if not name:
        return None
    # Imported here: it takes over a second, and only a configured chat model needs it.
    from langchain.chat_models import init_chat_model

    options: dict = {"temperature": settings.chat_temperature}
    if settings.chat_base_url:
        options["base_url"] = settings.chat_base_url
    try:
        return init_chat_model(name, **options)
    except ImportError as exc:
        raise ModelUnavailable(f"{_SETTING}={name!r} needs a package that is not installed: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - unknown provider, missing key, bad base URL: all the operator's to fix
        first_line = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__
        hint = (
            "write it as provider:model, e.g. openai:gpt-4o-mini or ollama:llama3.2"
            if "provider" in first_line.lower()
            else "the base URL and key come from the provider's usual environment variables (e.g. OPENAI_API_KEY)"
        )
        raise ModelUnavailable(f"{_SETTING}={name!r} could not be set up: {first_line}; {hint}") from exc


def describe(model: BaseChatModel) -> str:
    """A short name for a chat model object, as ``info()`` shows it."""
    for attribute in ("model_name", "model", "model_id", "deployment_name"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__
