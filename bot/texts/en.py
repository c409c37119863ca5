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
    "welcome": (
        "Welcome to <b>Sipoa</b>, the reporting service of {office}.\n\n"
        "🔒 <b>Privacy</b>: we store your reports, photos, location and your Telegram id. "
        "Only immigration officers see them. Officers never see your name, username or phone number "
        "unless the office configures it.\n\n"
        "⚠️ A knowingly false report is a crime (Art. 317 of the Criminal Code).\n\n"
        "Cancel at any time with /cancel."
    ),
    "resume_offer": "You have an unfinished report (step: {step}). Continue it or start over?",
    "btn_resume": "Continue",
    "btn_discard": "Start over",
    "step_category": "category",
    "step_location": "location",
    "step_description": "description",
    "step_photos": "photos",
    "step_review": "review & send",
    "prompt_category": "<b>1/5 · Category</b>\nWhat would you like to report?",
    "category_chosen": "<b>1/5 · Category</b>: {category}",
    "prompt_location": (
        "<b>2/5 · Location</b>\nWhere did it happen? Press the 📍 button below to send your current location.\n"
        "You can also pick a point on the map (📎 → Location), send a place, or type the address."
    ),
    "btn_send_location": "📍 Send my location",
    "location_saved": "📍 Location received: {location}",
    "location_coords": "{area} (<a href=\"{map}\">{coords}</a>)",
    "location_venue": "{address}",
    "location_no_coords": "{address} (no coordinates)",
    "location_outside": (
        "That location is outside the area of {office} ({area}). "
        "Send a location inside that area, or type the address."
    ),
    "location_invalid": "That location cannot be read. Send the location again, or type the address.",
    # Several offices (bot/offices.py): {offices} is one line per office, "• name (areas)".
    "location_outside_offices": (
        "That location is outside the areas of every office this bot serves:\n{offices}\n"
        "Send a location inside one of those areas, or type the address."
    ),
    "address_no_office": (
        "We cannot tell which office handles that address yet. Add the kecamatan or the city "
        "(for example {example}), or send a location. Offices served:\n{offices}"
    ),
    "office_line": "• {name} ({area})",
    "address_too_short": "The address is too short. Type an address of {min}–{max} characters, or send a location.",
    "address_too_long": "The address is too long. Type an address of {min}–{max} characters, or send a location.",
    "prompt_description": (
        "<b>3/5 · Description</b>\nDescribe what you saw: who, what they do, since when, how often. "
        "Write {min}–{max} characters."
    ),
    "description_too_short": "The description is too short ({length} characters). Write between {min} and {max} characters.",
    "description_too_long": "The description is too long ({length} characters). Write between {min} and {max} characters.",
    "prompt_photos": (
        "<b>4/5 · Photos</b>\nSend photos as evidence (at most {max}), or press <b>Skip</b> if you have none."
    ),
    "prompt_photos_replace": (
        "<b>4/5 · Photos</b>\nSend the new photos (at most {max}); the earlier ones were removed. "
        "Press <b>Skip</b> to continue without photos."
    ),
    "btn_skip": "Skip",
    "btn_done": "Done",
    "photo_received": "📷 {count} of {max} photos attached. Send another, or press <b>Done</b>.",
    "album_rejected": "{rejected} photos were not kept: at most {max} photos.",
    "photos_max": "At most {max} photos; this one was not kept. Press <b>Done</b> to continue.",
    "not_an_image": "This file is not an image. Send a photo (JPEG, PNG or WebP).",
    "image_too_big": "This image is too big (at most 20 MB). Send it as a normal photo.",
    "review": (
        "<b>5/5 · Check your report</b>\n\n"
        "<b>Category:</b> {category}\n"
        "<b>Location:</b> {location}\n"
        "<b>Photos:</b> {photos}\n"
        "<b>Description:</b>\n{description}\n\n"
        "Press <b>Submit</b> to send the report to the officers, <b>Edit</b> to correct it, or <b>Cancel</b>."
    ),
    "review_photos": "{count} photos",
    "review_no_photos": "none",
    "review_missing": "—",
    "btn_submit": "✅ Submit",
    "btn_edit": "✏️ Edit",
    "btn_cancel": "❌ Cancel",
    "edit_menu": "Which part would you like to change?",
    "btn_edit_category": "Category",
    "btn_edit_location": "Location",
    "btn_edit_description": "Description",
    "btn_edit_photos": "Photos",
    "btn_back_review": "Back",
    "expect_category": "Choose a category with the buttons below.",
    "expect_location": (
        "Send the location with the 📍 button, pick a point on the map (📎 → Location), or type the address."
    ),
    "expect_description": "Write the description as text ({min}–{max} characters).",
    "expect_photos": "Send photos (at most {max}), or press <b>Skip</b> / <b>Done</b>.",
    "expect_review": "Press <b>Submit</b>, <b>Edit</b> or <b>Cancel</b> under the summary of your report.",
    "submitted": (
        "✅ Report sent. Your report number: <b>{number}</b>\n\n"
        "The immigration officers are being alerted now. You will be told when an officer takes it "
        "and when it is closed.\n"
        "Follow your reports at any time with /myreports."
    ),
    "cancelled": "Report cancelled. Type /start to make a new report.",
    "nothing_to_cancel": "You are not writing a report. Type /start to make one.",
    "no_draft": "Type /start to make a report.",
    "draft_expired": (
        "Your unfinished report expired because there was no reply for a while. Type /start to continue it."
    ),
    "myreports_title": "<b>Your reports</b> (newest first):",
    "myreports_item": "<b>{number}</b> · {date}\n{category} · {status}",
    "myreports_empty": "You have not sent any report yet. Type /start to make one.",
    "status_new": "New",
    "status_taken": "Being handled",
    "status_resolved": "Resolved",
    "status_closed": "Closed",
    "btn_lang_id": "Bahasa Indonesia",
    "btn_lang_en": "English",
    # --- officers ---
    # The alert in the officers' group (always rendered in Indonesian, the group's language).
    "alert_title": "🚨 <b>Report {number}</b>",
    "alert_walk_in": "🏢 <b>Walk-in</b> · reported at the office desk",
    "alert_category": "📂 Category: <b>{category}</b>",
    "alert_time": "🕘 Time: {time}",
    "alert_area": "📍 Area: {area}",
    "alert_area_unknown": "📍 Area: outside the map / typed address",
    "alert_location": "🗺 Location: <a href=\"{link}\">{coords}</a> ({source})",
    "alert_location_none": "🗺 Location: no coordinates (typed address)",
    "alert_address": "🏠 Address: {address}",
    "alert_description": "📝 Description:\n{description}",
    "alert_photos": "📷 Photos: {count}",
    "alert_reporter": "👤 Reporter: {alias} · {standing}",
    "alert_identity": "🪪 Reporter's identity: {identity}",
    "alert_standing_first": "first report",
    "alert_standing_history": "{earlier} earlier reports ({resolved} resolved, {false_reports} false)",
    "alert_standing_phone": "phone verified",
    "alert_source_gps": "GPS ±{accuracy} m",
    "alert_source_gps_plain": "GPS",
    "alert_source_live": "live location",
    "alert_source_pin": "pin on the map",
    "alert_source_venue": "venue",
    "alert_source_forwarded": "forwarded location",
    "alert_source_text": "typed address",
    "alert_status_new": "🆕 New",
    "alert_status_taken": "🟡 Taken by {name} · {time}",
    "alert_status_resolved": "✅ Resolved by {name} · {time}",
    "alert_status_false_report": "⛔ False report ({name} · {time})",
    "alert_btn_take": "🙋 Take",
    "alert_btn_resolve": "✅ Resolved",
    "alert_btn_false": "⛔ False",
    "alert_btn_photos": "📷 Photos ({count})",
    "alert_photos_caption": "📷 Photos of report {number}",
    "alert_plain_note": "(simple view)",
    # Toasts to the officer who pressed a button (in the officer's own language).
    "officer_toast_taken": "You are handling {number}.",
    "officer_toast_already_taken": "Already taken by {name}.",
    "officer_toast_already_yours": "You are already handling {number}.",
    "officer_toast_resolved": "{number} marked resolved.",
    "officer_toast_false_report": "{number} marked as a false report.",
    "officer_toast_not_taker": "Only {name} (who took it) or a supervisor can close this report.",
    "officer_toast_not_taken_yet": "Nobody has taken this report yet. Press Take first.",
    "officer_toast_closed": "Report {number} is already closed.",
    "officer_toast_not_found": "Report not found.",
    "officer_toast_photos_queued": "Sending the photos.",
    "officer_toast_photos_already": "The photos were already sent to the group.",
    "officer_toast_no_photos": "There are no other photos.",
    "officer_toast_not_officer": "Sorry, you are not registered as an officer.",
    "officer_toast_other_office": "This report belongs to another office; its buttons only work in that office's group.",
    "officer_toast_wrong_chat": "This button only works in the officers' group.",
    # Notifications to the resident who reported (no officer names).
    "notify_status_taken": "🟡 Your report <b>{number}</b> is being handled by an officer. Thank you for reporting.",
    "notify_status_resolved": "✅ Your report <b>{number}</b> has been followed up and closed. Thank you.",
    "notify_status_false_report": (
        "Your report <b>{number}</b> was closed after review by the officers. Thank you for your concern."
    ),
    # --- office ---
    # SLA: the reminder in the group (a reply to the alert) and the supervisors' escalation.
    "sla_reminder": "⏰ Report <b>{number}</b> has not been taken ({waited}).\n{officers}",
    "sla_on_duty": "On duty: {names}",
    "sla_nobody_on_duty": "Nobody is on duty. Type /duty on to start your shift.",
    "sla_more_officers": "+{n} more",
    "sla_escalation": "⚠️ Report <b>{number}</b> has not been taken for {waited}.",
    "sla_escalation_details": "{category} · {area} · received {time}",
    "sla_escalation_link": "<a href=\"{link}\">Open report {number} in the group</a>",
    # /duty
    "duty_on_done": "✅ You are on duty. Reminders about untaken reports will mention you.",
    "duty_off_done": "You are no longer on duty.",
    "duty_status": "Your status: {state}.\n{officers}\n\nUse /duty on or /duty off.",
    "duty_state_on": "on duty",
    "duty_state_off": "off duty",
    # The daily digest to supervisors.
    "digest_title": "<b>🗓 Daily digest {day}</b>",
    "digest_received": "Received: {total} reports ({held} held for review)",
    "digest_handled": "Taken: {taken} · resolved: {resolved} · false: {false_reports}",
    "digest_to_taken": "Time to taken: median {median}, p90 {p90} (of {n})",
    "digest_sla": "Missed: {reminded} not taken within {remind} · {escalated} escalated after {escalate}",
    "digest_open": "Open now: {new} new · {taken} taken · {held} held",
    "digest_overdue_none": "No report has been taken for more than {hours} hours without being closed.",
    "digest_overdue_title": "Taken more than {hours} hours ago and not closed: {count}",
    "digest_overdue_item": "• <b>{number}</b> · {name} · since {time}",
    "digest_overdue_more": "… and {n} more",
    # Periods of /stats and /export.
    "period_unknown": "Unknown period. Examples: {command} today, {command} 7d, {command} 30d, {command} 2026-03-01..2026-03-31",
    "period_reversed": "The first date must come before the last, e.g. {command} 2026-03-01..2026-03-31",
    "period_too_long": "A period is at most 366 days long.",
    # /stats for one period, and its chart.
    "statsx_title": "<b>📊 Statistics {period}</b>\nas of {when}\n{total} reports",
    "statsx_status_held": "held",
    "statsx_status_rejected": "rejected",
    "statsx_channels": "Channels: {items}",
    "statsx_channel_telegram": "Telegram",
    "statsx_channel_walk_in": "walk-in",
    "statsx_areas": "Areas: {items}",
    "statsx_area_unknown": "no area",
    "statsx_to_closed": "Time to closed (resolved or false): median {median}, p90 {p90} (of {n})",
    "statsx_false_share": "False reports: {percent}% of {closed} closed reports",
    "statsx_officers": "Per officer (taken · resolved · false):",
    "statsx_officer": "• {name}: {taken} · {resolved} · {false_reports}",
    "statsx_more_officers": "… and {n} more officers",
    "chart_title_days": "Reports per day by outcome",
    "chart_title_map": "Report locations: {located} with a point, {unlocated} without",
    "chart_map_scale": "reports per ±1 km cell",
    "chart_areas": "Busiest districts",
    "chart_no_points": "No report with a location point",
    "chart_screened_out": "held/rejected",
    "chart_caption": "📈 Chart {period}",
    # /export
    "export_caption": "{kind} of reports {period}: {count} reports (Open311 fields). The reporters' identity is not included.",
    "export_gzip": "Gzipped because it is larger than 50 MB.",
    "export_part": "Part {part} of {parts}: join all parts (cat), then open with gunzip.",
    "export_empty": "No reports in {period}.",
    # --- followup ---
    # Walk-in reports, typed by an officer at the desk (/walkin, private chat).
    "wi_intro": (
        "🏢 <b>Walk-in report</b>\nYou are recording a report made in person at the office. The "
        "complainant's name and phone are kept for the office only and never shown in the group. Cancel with /cancel."
    ),
    "wi_not_officer": "This command is for officers (members of the officers' group) only.",
    "wi_prompt_name": "<b>Walk-in 1/3 · Complainant's name</b>\nType the complainant's name, or press <b>Skip</b>.",
    "wi_prompt_phone": (
        "<b>Walk-in 2/3 · Complainant's phone</b>\nType the phone number (e.g. 0812 3456 7890), or press <b>Skip</b>."
    ),
    "wi_prompt_interviewer": (
        "<b>Walk-in 3/3 · Interviewed by</b>\nPress <b>{name}</b> if it was you, or type another officer's name."
    ),
    "wi_prompt_location": (
        "<b>2/5 · Location</b>\nType the address of the event, or send a point on the map (📎 → Location). "
        "Do not send your own location: that is the office's."
    ),
    "wi_btn_me": "👤 {name}",
    "wi_name_invalid": "A name has {min}–{max} characters. Type it again, or press the button below.",
    "wi_phone_invalid": "Not a valid phone number: type {min}–{max} digits (a leading + is fine), or press <b>Skip</b>.",
    "wi_expect_text": "Type the answer as text, or press the button below.",
    "wi_review_head": (
        "🏢 <b>Walk-in</b>\n<b>Complainant:</b> {name}\n<b>Phone:</b> {phone}\n<b>Interviewed by:</b> {interviewer}"
    ),
    "wi_none": "—",
    "step_wi_name": "complainant's name",
    "step_wi_phone": "complainant's phone",
    "step_wi_interviewer": "interviewer",
    "btn_edit_wi_name": "Complainant",
    "btn_edit_wi_phone": "Phone",
    "btn_edit_wi_interviewer": "Interviewer",
    "wi_submitted": "✅ Walk-in report <b>{number}</b> recorded and sent to the officers' group.",
    "wi_submitted_held": (
        "✅ Walk-in report <b>{number}</b> recorded; it waits for a supervisor's review (/review) before the group."
    ),
    "wi_alert_interviewer": "🗣 Interviewed by: {name}",
    # Anonymous follow-up: officers ask, the reporter answers, through the bot only.
    "fu_btn_ask": "❓ Tanya pelapor / Ask reporter",
    "fu_toast_dm": "Write your question in your private chat with the bot.",
    "fu_toast_start_bot": "Open a private chat with the bot, press /start, then press this button again.",
    "fu_toast_not_taker": "Only {name} (who took it) or a supervisor can ask the reporter.",
    "fu_toast_walk_in": "Walk-in report: the complainant does not use Telegram. Use the office's record.",
    "fu_ask_prompt": (
        "❓ Write your question for the reporter of <b>{number}</b> (text, at most {max} characters).\n"
        "The reporter does not see your name, and you do not see theirs. Cancel with /cancel."
    ),
    "fu_question_sent": "✅ Question sent to the reporter of {number}. The answer appears in the group under the report.",
    "fu_expect_question": "Write the question as text (at most {max} characters), or /cancel.",
    "fu_too_long": "Too long ({length} characters, at most {max}). Shorten it and send it again.",
    "fu_closed": "Report {number} is closed; this message was not passed on.",
    "fu_cancelled": "Cancelled; nothing was passed on.",
    "fu_question": (
        "❓ An officer asks about report <b>{number}</b>:\n\n{question}\n\n"
        "Press <b>Answer</b> or reply to this message. Your identity stays confidential."
    ),
    "fu_btn_answer": "✍️ Jawab / Answer",
    "fu_answer_prompt": "✍️ Write your answer for report <b>{number}</b> (text or a photo). Cancel with /cancel.",
    "fu_info_prompt": (
        "ℹ️ Write more information for report <b>{number}</b> (text or a photo). Cancel with /cancel."
    ),
    "fu_expect_answer": "Send text (at most {max} characters) or a photo, or /cancel.",
    "fu_answer_sent": "✅ Thank you, your answer was passed to the officers (report {number}).",
    "fu_info_sent": "✅ Thank you, your information was passed to the officers (report {number}).",
    "fu_too_many": "You have sent many messages in the last hour. Please try again later.",
    "fu_btn_add_info": "➕ Add info {number}",
    "fu_group_question": "❓ <b>{officer}</b> asks reporter {alias} (report {number}):\n{text}",
    "fu_group_answer": "💬 Answer from reporter {alias} (report {number}):\n{text}",
    "fu_group_info": "ℹ️ More information from reporter {alias} (report {number}):\n{text}",
    "fu_undeliverable": "⚠️ The question for the reporter of {number} was not delivered: they blocked the bot.",
    "fu_photo_only": "(photo)",
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
    "stats_status_held": "held for review",
    "stats_status_rejected": "rejected",
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
    # Several offices (bot/scope.py): what a supervisor's command covers, and per-office lines.
    "scope_national": "National",
    "scope_not_yours": "Sorry, you can only see the figures of {offices}, not of {office}.",
    "scope_usage": "Offices: {keys}. One office only: {command} {code} or {command} {code} 7d",
    "stats_title_office": "<b>📊 Report statistics · {office}</b>\nas of {when}",
    "stats_offices_title": "<b>Per office</b> (today · 7 days · 30 days · all time):",
    "stats_office_line": "• {name} ({code}): {counts}",
    "stats_offices_more": "… and {n} more offices; one office: {command} KEY",
    "statsx_title_office": "<b>📊 Statistics {period} · {office}</b>\nas of {when}\n{total} reports",
    "statsx_offices_title": "<b>Per office</b> (total · new · taken · resolved · false):",
    "digest_title_office": "<b>🗓 Daily digest {day} · {office}</b>",
    "digest_offices_title": "<b>Per office</b> (received · open · over {hours} hours):",
    # --- screening ---
    "scr_score_line": "Trust score {score} · {reasons}",
    "scr_r_restricted": "reporter restricted until {until}",
    "scr_r_rate_limited": "over the report limit ({hour} in 1 h, {day} in 24 h)",
    "scr_r_rate_high": "report no. {hour} in 1 h, no. {day} in 24 h",
    "scr_r_walk_in": "walk-in report, taken by an officer at the office",
    "scr_r_phone_verified": "reporter's phone number verified",
    "scr_r_reputation_good": "good record ({confirmed} confirmed, {false} false)",
    "scr_r_reputation_bad": "record of false reports ({false} false, {confirmed} confirmed)",
    "scr_r_vague": "too vague: no clear who, what, where",
    "scr_r_gibberish": "meaningless text ({percent}% random words)",
    "scr_r_slur": "contains insults aimed at a nationality",
    "scr_r_exact_copy": "exact copy of report {report}",
    "scr_r_near_duplicate": "text {similarity}% the same as report {report} from another account",
    "scr_r_own_duplicate": "text {similarity}% the same as report {report} from the same reporter",
    "scr_r_photo_reused": "the same photo was already used in report {report}",
    "scr_r_photo_reencoded": "a re-saved copy of a photo from report {report}",
    "scr_r_photo_forwarded": "{count} photo(s) forwarded from elsewhere",
    "scr_r_own_photo": "{count} photo(s) of the reporter's own",
    "scr_r_forwarded_location": "location forwarded from someone else",
    "scr_r_typed_address": "typed address, no map location",
    "scr_r_live_location": "live location ±{accuracy} m",
    "scr_r_gps_location": "GPS location ±{accuracy} m",
    "scr_r_poor_accuracy": "imprecise location (±{accuracy} m)",
    "scr_r_outside": "outside the office's jurisdiction",
    "scr_r_too_fast": "whole report ({chars} characters) completed in {seconds} seconds",
    "scr_r_burst": "{accounts} new accounts reported the same place within {hours} h",
    "scr_r_shared_pin": "the very same map pin as report {report} from another account",
    "scr_r_repeat_target": "this reporter's report no. {count} about the same place within {days} days",
    "scr_r_witnesses": "{count} other independent witness(es)",
    "scr_incident_count": "📎 {count} laporan / {count} reports",
    "scr_incident_newest": "Newest: <b>{number}</b> · {time} · {area}\n<i>{excerpt}</i>",
    "scr_resident_joined": "Thank you. Report <b>{number}</b> was received and joined an open case officers are handling at the same place.",
    "scr_resident_rate": "Your report cannot be accepted: you have sent too many reports in a short time. Please try again later.",
    "scr_resident_restricted": "Your report cannot be accepted: reports from your account are restricted until {until}. If this is a mistake, contact the immigration office.",
    "scr_resident_rejected": "Your report cannot be accepted.",
    "scr_phone_offer": "Optional: share your phone number so your reports are trusted more. Officers in the group do not see it.",
    "scr_phone_button": "📱 Share my number",
    "scr_phone_skip": "No, thanks",
    "scr_phone_thanks": "Thank you, your number is verified.",
    "scr_phone_not_own": "Please share your own number with the button below.",
    "scr_phone_skipped": "Fine, no phone number.",
    "scr_review_empty": "No reports are held.",
    "scr_review_header": "Held reports: {count} (oldest first)",
    "scr_review_item": "<b>{number}</b> · {category} · {area}\nScore {score} · {when} · reporter {alias}\n{reasons}\n<i>{excerpt}</i>",
    "scr_btn_forward": "Forward to group",
    "scr_btn_reject": "Reject",
    "scr_btn_restrict": "Restrict reporter",
    "scr_reject_choose": "Reason to reject {number}:",
    "scr_reject_false": "False",
    "scr_reject_vague": "Too vague",
    "scr_reject_duplicate": "Duplicate",
    "scr_reject_abusive": "Abusive / grudge",
    "scr_review_forwarded": "{number} forwarded to the group.",
    "scr_review_rejected": "{number} rejected ({reason}).",
    "scr_review_already": "{number} was already handled.",
    "scr_restrict_usage": "Use: /restrict &lt;report number|reporter alias&gt; [reason]",
    "scr_unrestrict_usage": "Use: /unrestrict &lt;report number|reporter alias&gt;",
    "scr_reporter_unknown": "No report or reporter {ref} found.",
    "scr_restricted_done": "Reporter {alias} restricted until {until} (level {level}).",
    "scr_unrestricted_done": "Restriction of reporter {alias} lifted.",
    "scr_not_restricted": "Reporter {alias} is not restricted.",
    # Several offices: each held report names its office; another office's report is not yours to decide.
    "scr_review_office": "🏢 {office}",
    "scr_review_other_office": "This report belongs to another office; its supervisors review it.",
}
