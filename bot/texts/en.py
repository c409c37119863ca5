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
    "stats_title": "<b>📊 Report statistics</b>\nas of {when}",
    "stats_period_today": "Today",
    "stats_period_7d": "Last 7 days",
    "stats_period_30d": "Last 30 days",
    "stats_period_all": "All time",
    "stats_period_title": "<b>{period}</b>: {total} reports",
    "stats_statuses": "Status: {items}",
    "stats_status_new": "new",
    "stats_status_taken": "taken",
    "stats_status_resolved": "resolved",
    "stats_status_false_report": "false report",
    "stats_status_line_item": "{label} {n}",
    "stats_categories": "Categories: {items}",
    "stats_more_categories": "{k} other categories {n}",
    "stats_to_taken": "To taken: median {median}, p90 {p90} (of {n})",
    "stats_to_resolved": "To resolved: median {median}, p90 {p90} (of {n})",
    "stats_footnote": "<i>Times count from when the report was sent. Median: half the reports were faster. p90: 9 in 10 were faster.</i>",
    "stats_dur_s": "{n} s",
    "stats_dur_m": "{n} min",
    "stats_dur_h": "{n} h",
    "stats_dur_d": "{n} d",
}
