"""Page checks read off the spec, asked of no model: what a spec says its page's elements show
and what its buttons do, as the steps of one "page" example.

The built-in model's page checks click and expect nothing (seen on every page spec of
bench.quality), so a page that loads and reacts passed its smoke check while its counter started
at 0 on every click or its input was never cleared. Only what the spec states is read: an
element named by id (`<span id="count">`, or "the span" when it has one span) that "starts at
`0`"; a button that "adds 1" to the number, or "sets it back to `0`"; a button that appends an
item to the list from the input, and "clears the input"; a number "saved", shown again when the
page is opened again (and found under the key the spec names, in the storage it names); what
typing `hello` into the input makes an element "show" (with the button clicked, where the
sentence clicks one: "it" is the one spoken of last); the input's text a button "stores", there
again when the page opens again. "It" in a sentence is the element the one before spoke of.
Anything else gives no check (the smoke check stays).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..records import Example, PageStep
from .words import LIKE

_TAGGED = re.compile(r"""`<(\w+)\b[^`>]*?\bid\s*=\s*["']([\w-]+)["'][^`>]*>`""")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])|\n\s*\n|\n(?=\s*[-*] )")
_START = re.compile(
    r"\b(?:starts?|starting|begins?|beginning)\s+(?:at|with|from|as)\s+`(-?\d+)`"
    r"|\binitially\s+(?:shows\s+)?`(-?\d+)`"
)
# A sentence about what an element shows that gives one number and nothing to do: the number
# it shows as it opens ("shows the count kept in `localStorage`, `0` with none kept").
_ONE_NUMBER = re.compile(r"`(-?\d+)`")
_DELTA = re.compile(
    r"\b(?:(adds?|increases?\s+\w+(?:\s+\w+)?\s+by|subtracts?|takes?\s+away|decreases?\s+\w+"
    r"(?:\s+\w+)?\s+by)\s+(\d+|one)\b(?!\s*(?:item|entr|row|line|element|<|`))"
    r"|\b(increments?|decrements?)\b)"
)
_SET = re.compile(r"\b(?:sets?|resets?|puts?|brings?|turns?)\b[^.;]{0,40}?\bto\s+`(-?\d+)`")
_APPEND = re.compile(r"\b(?:appends?|adds?|inserts?)\b[^.;]{0,40}?(?:`?<li>`?|\bitem\b|\bentry\b)")
_CLEARS = re.compile(
    r"\b(?:clears?|empties|resets?)\s+the\s+(?:input|field|text\s*box)\b"
    r"|\b(?:input|field)\s+is\s+(?:then\s+)?(?:cleared|emptied)\b"
)
_BLANK = re.compile(
    r"\b(?:empty|blank|only\s+spaces|whitespace)\b[^.]{0,60}?\b(?:adds?|does)"
    r"\s+nothing\b"
)
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bnumber\s+of\s+items\b|\bcount\s+of\b")
_KEPT = re.compile(r"\b(?:saved|stored|storage|localStorage|remembers?|persists?|kept|keeps)\b")
_AREA = r"`(chrome\.storage\.(?:local|sync|session)|localStorage|sessionStorage)`"
_KEY = r"\bkey\s+`([\w.:-]{1,80})`"
_STORE = re.compile(rf"{_AREA}[^.;]{{0,80}}?{_KEY}|{_KEY}[^.;]{{0,80}}?\b(?:in|of)\s+{_AREA}")
# "Typing `hello` makes it show `5`": what is typed into an input, and what an element then shows.
_TYPED = re.compile(
    r"\b(?:typ(?:e|es|ing)|enter(?:s|ing)?|writ(?:e|es|ing)|past(?:e|es|ing))"
    r"\s+(?:in\s+)?`([^`\n]+)`",
    re.I,
)
_SHOWN = re.compile(
    r"\b(?:shows?|showing|displays?|reads?|becomes?|says?|(?:changes?|updates?|"
    r"turns?)\s+to)\s*:?\s+`([^`\n]*)`",
    re.I,
)
_IT = re.compile(r"^\W*(?:it|this|that)\b|\bmakes?\s+it\b|\b(?:then|and)\s+it\b", re.I)
_CLICKS = re.compile(r"\b(?:click|press|tap)\w*\b", re.I)
# "Clicking the save button stores the textarea's text …": what is typed is kept, and "when the
# popup opens again, the textarea shows the saved note".
_SAVES_TEXT = re.compile(r"\b(?:saves?|stores?|keeps?|remembers?|writes?)\b")
_AGAIN = re.compile(r"\b(?:again|reopen\w*|reload\w*|next\s+time|re-?opened|later)\b", re.I)
_SHOWS_SAVED = re.compile(
    r"\S+(?:\s+\w+){0,2}?\s+(?:shows|displays|contains|holds|has|is\s+filled)\b"
)
_EMPTIED = re.compile(r"\b(?:empty|cleared|blank|reset)\b", re.I)
_LISTS, _INPUTS, _BUTTONS = ("ul", "ol"), ("input", "textarea"), ("button",)
_SAMPLE = "sample item"  # what is typed where a spec gives no text of its own
MAX_ELEMENTS = 30  # ids a spec may name for its page to be read this way
MAX_STEPS = 40  # each step is a browser action with its wait


@dataclass(frozen=True)
class _Mention:
    at: int
    id: str


def spec_pages(spec: str, contents: Mapping[str, str]) -> list[Example]:
    """One page example of what the spec says its page does, or [] when it says too little."""
    tags: dict[str, str] = {}
    for tag, ident in _TAGGED.findall(spec):
        tags.setdefault(ident, tag.lower())
    page = _page(spec, contents)
    if not tags or page is None or len(tags) > MAX_ELEMENTS:
        return []  # a spec naming more elements is not one page's few controls: not guessed
    named = _naming(tags)
    starts: dict[str, int] = {}
    counters: set[str] = set()  # elements that show how many items the list holds
    clauses: list[tuple[str, str]] = []  # (button id, what the spec says it does)
    kept: set[str] = set()  # elements showing what is saved (shown again when reopened)
    stores: dict[str, str] = {}  # element → where the spec keeps its number ("localStorage:n")
    typed: list[PageStep] = []  # what typing into an input makes an element show
    before: list[_Mention] = []  # the element the last sentence spoke of ("it" in this one)
    pressed: list[str] = []  # the buttons spoken of so far ("clicking it")
    saves: list[tuple[str, str, str]] = []  # (button, the input whose text it keeps, where)
    restored: set[str] = set()  # inputs said to show what was saved when the page opens again
    for sentence in _SENTENCE.split(spec):
        mentions = _mentions(sentence, tags, named)
        if _IT.search(sentence) and before:
            mentions = [_Mention(-1, before[-1].id), *mentions]  # "It starts at `0`"
        shows = [x for x in mentions if tags[x.id] not in _BUTTONS + _INPUTS + _LISTS]
        before = shows or before
        typed += _typing(sentence, mentions, tags, shows, pressed)
        spoken = {x.id for x in mentions if tags[x.id] in _BUTTONS}
        pressed += spoken if len(spoken) == 1 else []  # a list of the page's buttons: none
        inputs = [x for x in mentions if tags[x.id] in _INPUTS]
        if _KEPT.search(sentence) and _AGAIN.search(sentence) and inputs:
            # "the textarea shows the saved note", not "the input is empty and … are listed"
            after = sentence[inputs[-1].at :]
            if _SHOWS_SAVED.match(after) and not _EMPTIED.search(sentence):
                restored.add(inputs[-1].id)
        if _KEPT.search(sentence):
            showing = [x.id for x in mentions if tags[x.id] not in _BUTTONS + _INPUTS]
            kept.update(showing)
            if (where := _where(sentence)) and showing:
                stores.setdefault(showing[0], where)
        found = list(_START.finditer(sentence)) or _only_number(sentence, mentions, tags)
        for m in found:
            shown = [
                x
                for x in mentions
                if x.at < m.start() and tags[x.id] not in _BUTTONS + _INPUTS + _LISTS
            ]
            if shown:
                value = int(next(v for v in m.groups() if v is not None))
                starts.setdefault(shown[-1].id, value)
                if _HOW_MANY.search(sentence[shown[-1].at : m.start()]):
                    counters.add(shown[-1].id)
        buttons = [x for x in mentions if tags[x.id] in _BUTTONS]
        for i, b in enumerate(buttons):
            end = buttons[i + 1].at if i + 1 < len(buttons) else len(sentence)
            clauses.append((b.id, sentence[b.at : end]))
            kept_text = [x.id for x in inputs if b.at < x.at < end]
            if kept_text and _SAVES_TEXT.search(sentence[b.at : end]):
                saves.append((b.id, kept_text[0], _where(sentence)))
        if not buttons and clauses and _BLANK.search(sentence):
            clauses.append((clauses[-1][0], sentence))  # "When the input is empty, … nothing"
    steps = [PageStep("text", ident, str(value)) for ident, value in starts.items()]
    steps += _actions(clauses, tags, starts, counters) + typed
    last = {s.target: s.value for s in steps if s.action == "text" and s.target in kept}
    if last:
        steps += [PageStep("reload", "page")]
        steps += [PageStep("text", ident, value) for ident, value in last.items()]
        # Where the spec names the storage and key: a number must be there (shown after a
        # reload from localStorage, it passed where the spec asked for chrome.storage).
        steps += [
            PageStep("stored", stores[ident], value)
            for ident, value in last.items()
            if ident in stores and value.lstrip("-").isdigit()
        ]
    for button, field, where in saves[:1]:
        if field in restored:  # typed, saved, and there again when the page opens again
            steps += [
                PageStep("fill", field, _SAMPLE),
                PageStep("click", button),
                PageStep("reload", "page"),
                PageStep("text", field, _SAMPLE),
            ]
            steps += [PageStep("stored", where, _SAMPLE)] if where else []
    if not any(s.action in ("click", "fill") for s in steps):
        return []
    return [
        Example(
            "what the description says the page does",
            "page",
            page=page,
            steps=tuple(steps[:MAX_STEPS]),
            source="spec",
        )
    ]


def _only_number(
    sentence: str, mentions: list[_Mention], tags: Mapping[str, str]
) -> list[re.Match]:
    """The one number of a sentence that speaks of no button, typing or change (its element's
    first value), and is not given for instance."""
    numbers = list(_ONE_NUMBER.finditer(sentence))
    if len(numbers) != 1 or any(tags[x.id] in _BUTTONS for x in mentions):
        return []
    if _TYPED.search(sentence) or _DELTA.search(sentence) or _SET.search(sentence):
        return []
    return (
        []
        if LIKE.search(sentence[max(0, numbers[0].start() - 30) : numbers[0].start()])
        else numbers
    )


def _where(sentence: str) -> str:
    """The storage and key a sentence names ("localStorage:n"), or ""."""
    where = _STORE.search(sentence)
    if not where:
        return ""
    area, key = (where[1], where[2]) if where[1] else (where[4], where[3])
    return f"{area}:{key}"


def _typing(
    sentence: str,
    mentions: list[_Mention],
    tags: Mapping[str, str],
    shows: list[_Mention],
    pressed: list[str],
) -> list[PageStep]:
    """What typing makes the page show ("Typing `hello` in the textarea makes the span show
    `5`"): type into the input (the one named, or the page's only one), click the buttons named
    after it, expect the element the sentence names (after the value, else before it, else the
    page's only one) to show it."""
    typing, shown = _TYPED.search(sentence), _SHOWN.search(sentence)
    if not typing or not shown or shown.start() < typing.end():
        return []
    inputs = [x.id for x in mentions if tags[x.id] in _INPUTS and x.at >= typing.start()]
    inputs = inputs or [i for i, t in tags.items() if t in _INPUTS]
    # The element named nearest before the verb ("makes the `#chars` span show `11`"), else
    # right after the value ("shows `HI!` in `#out`"), else the one spoken of, else the only one.
    between = [x.id for x in shows if typing.end() <= x.at < shown.start()]
    later = [x.id for x in shows if x.at > shown.start()]
    earlier = [x.id for x in shows if x.at < typing.start()]
    alone = [i for i, t in tags.items() if t not in _BUTTONS + _INPUTS + _LISTS]
    target = (between[-1:] or later or earlier[-1:] or (alone if len(alone) == 1 else []))[:1]
    if len(inputs) != 1 or not target:
        return []
    clicks = [
        PageStep("click", x.id)
        for x in mentions
        if tags[x.id] in _BUTTONS and typing.end() <= x.at < shown.start()
    ]
    if not clicks and _CLICKS.search(sentence):
        # "… and clicking it shows `32`": the button spoken of last, or the page's only one.
        only = [i for i, t in tags.items() if t in _BUTTONS]
        clicks = [PageStep("click", b) for b in (pressed[-1:] or (only if len(only) == 1 else []))]
        if not clicks:
            return []
    return [
        PageStep("fill", inputs[0], typing.group(1)),
        *clicks,
        PageStep("text", target[0], shown.group(1)),
    ]


def _page(spec: str, contents: Mapping[str, str]) -> str | None:
    pages = [p for p in contents if p.lower().endswith((".html", ".htm"))]
    if len(pages) == 1:
        return pages[0]
    named = [p for p in pages if f"`{p}`" in spec]
    return named[0] if len(named) == 1 else ("index.html" if "index.html" in pages else None)


def _naming(tags: Mapping[str, str]) -> list[tuple[re.Pattern[str], str]]:
    """How a sentence may name each element: `#id`, "the <id> <tag>" ("the add button"); and
    "the span" / "the button" / "the list" / "the input" when the page has only one of those."""
    out = [
        (re.compile(rf"`#{re.escape(i)}`|\bthe\s+`?{re.escape(i)}`?\s+{t}\b"), i)
        for i, t in tags.items()
    ]
    by_kind = {
        "span": ("span",),
        "button": _BUTTONS,
        "list": _LISTS,
        r"(?:input|textarea|field|text\s*(?:box|field))": _INPUTS,
    }
    for word, kinds in by_kind.items():
        same = [i for i, t in tags.items() if t in kinds]
        if len(same) == 1:
            out.append((re.compile(rf"\bthe\s+{word}\b"), same[0]))
    return out


def _mentions(
    sentence: str, tags: Mapping[str, str], named: list[tuple[re.Pattern[str], str]]
) -> list[_Mention]:
    """Where a sentence names an element: its tag with its id, or as `_naming` says."""
    found: dict[int, str] = {}
    for m in _TAGGED.finditer(sentence):
        if m.group(2) in tags:
            found[m.start()] = m.group(2)
    for pattern, ident in named:
        for m in pattern.finditer(sentence):
            found.setdefault(m.start(), ident)
    return [_Mention(at, ident) for at, ident in sorted(found.items())]


def _actions(
    clauses: list[tuple[str, str]],
    tags: Mapping[str, str],
    starts: dict[str, int],
    counters: set[str],
) -> list[PageStep]:
    numbers = [i for i in starts if i not in counters]
    inputs = [i for i, t in tags.items() if t in _INPUTS]
    lists = [i for i, t in tags.items() if t in _LISTS]
    steps: list[PageStep] = []
    shown = dict(starts)
    for button, clause in clauses:
        if _APPEND.search(clause) and len(inputs) == 1 and len(lists) == 1:
            steps += [
                PageStep("fill", inputs[0], f"  {_SAMPLE} "),
                PageStep("click", button),
                PageStep("text", lists[0], _SAMPLE),
            ]
            for c in counters:
                shown[c] += 1
                steps.append(PageStep("text", c, str(shown[c])))
            if _CLEARS.search(clause):
                steps.append(PageStep("text", inputs[0], ""))
            continue
        if _BLANK.search(clause) and len(inputs) == 1 and counters:
            steps += [PageStep("fill", inputs[0], "   "), PageStep("click", button)]
            steps += [PageStep("text", c, str(shown[c])) for c in counters]
            continue
        if len(numbers) != 1:
            continue
        number = numbers[0]
        delta = _DELTA.search(clause)
        if delta:
            amount = 1 if (delta.group(2) or "1") in ("1", "one") else int(delta.group(2))
            verb = (delta.group(1) or delta.group(3) or "").lower()
            if verb.startswith(("sub", "take", "decr")):
                amount = -amount
            for _ in range(2):  # twice: a count kept wrong (0 is falsy) shows on the second
                shown[number] += amount
                steps += [PageStep("click", button), PageStep("text", number, str(shown[number]))]
            continue
        reset = _SET.search(clause)
        if reset:
            shown[number] = int(reset.group(1))
            steps += [PageStep("click", button), PageStep("text", number, str(shown[number]))]
    return steps
