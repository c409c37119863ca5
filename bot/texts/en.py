"""English. Keys mirror id.py exactly (a test checks)."""

TEXTS: dict[str, str] = {
    # --- common ---
    "error_generic": "Sorry, something went wrong. Please try again in a moment.",
    "not_allowed": "Sorry, you are not allowed to do this.",
    "button_unknown": "This button is no longer valid.",
    "private_only": "Please use this command in a private chat with the bot.",
    "language_choose": "Pilih bahasa / Choose a language:",
    "language_set": "Language set to English.",
    # --- intake ---
    # --- officers ---
    # --- supervisors ---
}
