"""Step 0: the spec a person wrote, checked before any request is sent."""

from __future__ import annotations

from ..errors import SpecError

MAX_SPEC_CHARS = 100_000  # about 25k tokens: leaves room for the plan and the code in any context


def validate_spec(spec: object, max_chars: int = MAX_SPEC_CHARS) -> str:
    """The spec, normalised, or SpecError with a reason a person can act on."""
    if isinstance(spec, bytes):
        try:
            spec = spec.decode("utf-8")
        except UnicodeDecodeError:
            raise SpecError("The spec is not UTF-8 text (is it a binary file?).") from None
    if not isinstance(spec, str):
        raise SpecError("The spec must be text.")
    text = spec.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise SpecError("The spec is empty: describe what you want built.")
    if "\x00" in text:
        raise SpecError("The spec contains NUL bytes: it looks like a binary file, not text.")
    if any("\ud800" <= c <= "\udfff" for c in text):
        # Lone surrogates: bytes that were not UTF-8 (e.g. a command-line argument decoded
        # with surrogateescape). They can't be sent as JSON, so say so before any request.
        raise SpecError("The spec is not valid UTF-8 text (is it a binary file?).")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise SpecError("The spec is mostly control characters: it doesn't look like text.")
    if len(text) > max_chars:
        raise SpecError(
            f"The spec is too long ({len(text):,} characters; the limit is {max_chars:,}). "
            "Shorten it or split the project."
        )
    return text
