"""What a button says when its text box is empty. No button is disabled by what a text box
holds: the browser sends a text box's value when it loses the focus, so a button disabled
until then swallowed the click that took the focus away (issue 32). The click always counts;
with nothing typed, it says what to type."""

from __future__ import annotations

EMPTY = {
    "btn_fix_error": "Paste the error or say what goes wrong first, then press “Fix it”.",
    "btn_change": "Say the change in words first, then press “Change the project”.",
    "btn_run_command": "Type a command to run first, then press “Run”.",
}

# Text boxes that report as they are typed into (after this pause), for the boxes that can.
LIVE = "250ms"
