"""Bahasa Indonesia: the default catalog. Keys mirror en.py exactly (a test checks)."""

TEXTS: dict[str, str] = {
    # --- common ---
    "error_generic": "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi.",
    "not_allowed": "Maaf, Anda tidak berwenang melakukan ini.",
    "button_unknown": "Tombol ini sudah tidak berlaku.",
    "private_only": "Silakan gunakan perintah ini dalam chat pribadi dengan bot.",
    "language_choose": "Pilih bahasa / Choose a language:",
    "language_set": "Bahasa diatur ke Bahasa Indonesia.",
    # --- intake ---
    # --- officers ---
    # --- supervisors ---
    "stats_title": "<b>📊 Statistik laporan</b>\nper {when}",
    "stats_period_today": "Hari ini",
    "stats_period_7d": "7 hari terakhir",
    "stats_period_30d": "30 hari terakhir",
    "stats_period_all": "Semua waktu",
    "stats_period_title": "<b>{period}</b>: {total} laporan",
    "stats_statuses": "Status: {items}",
    "stats_status_new": "baru",
    "stats_status_taken": "ditangani",
    "stats_status_resolved": "selesai",
    "stats_status_false_report": "laporan palsu",
    "stats_status_line_item": "{label} {n}",
    "stats_categories": "Kategori: {items}",
    "stats_more_categories": "{k} kategori lain {n}",
    "stats_to_taken": "Sampai ditangani: median {median}, p90 {p90} (dari {n})",
    "stats_to_resolved": "Sampai selesai: median {median}, p90 {p90} (dari {n})",
    "stats_footnote": "<i>Waktu dihitung sejak laporan dikirim. Median: separuh laporan lebih cepat. p90: 9 dari 10 laporan lebih cepat.</i>",
    "stats_dur_s": "{n} dtk",
    "stats_dur_m": "{n} mnt",
    "stats_dur_h": "{n} j",
    "stats_dur_d": "{n} hari",
}
