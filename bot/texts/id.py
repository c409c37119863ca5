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
    "welcome": (
        "Selamat datang di <b>Sipoa</b>, layanan pelaporan {office}.\n\n"
        "🔒 <b>Privasi</b>: kami menyimpan laporan Anda, foto, lokasi, dan ID Telegram Anda. "
        "Hanya petugas imigrasi yang melihatnya. Petugas tidak melihat nama, username, atau nomor telepon Anda "
        "kecuali kantor mengaturnya.\n\n"
        "⚠️ Laporan palsu yang dibuat dengan sengaja adalah tindak pidana (Pasal 317 KUHP).\n\n"
        "Batalkan kapan saja dengan /batal."
    ),
    "resume_offer": "Anda masih punya laporan yang belum selesai (langkah: {step}). Lanjutkan atau mulai baru?",
    "btn_resume": "Lanjutkan",
    "btn_discard": "Mulai baru",
    "step_category": "kategori",
    "step_location": "lokasi",
    "step_description": "uraian",
    "step_photos": "foto",
    "step_review": "periksa & kirim",
    "prompt_category": "<b>1/5 · Kategori</b>\nApa yang ingin Anda laporkan?",
    "category_chosen": "<b>1/5 · Kategori</b>: {category}",
    "prompt_location": (
        "<b>2/5 · Lokasi</b>\nDi mana kejadiannya? Tekan tombol 📍 di bawah untuk mengirim lokasi Anda saat ini.\n"
        "Bisa juga: pilih titik di peta (📎 → Lokasi), kirim sebuah tempat, atau ketik alamatnya."
    ),
    "btn_send_location": "📍 Kirim lokasi saya",
    "location_saved": "📍 Lokasi diterima: {location}",
    "location_coords": "{area} (<a href=\"{map}\">{coords}</a>)",
    "location_venue": "{address}",
    "location_no_coords": "{address} (tanpa koordinat)",
    "location_outside": (
        "Lokasi itu di luar wilayah kerja {office} ({area}). "
        "Kirim lokasi di dalam wilayah tersebut, atau ketik alamatnya."
    ),
    "location_invalid": "Lokasi itu tidak dapat dibaca. Kirim lokasi lagi, atau ketik alamatnya.",
    # Several offices (bot/offices.py): {offices} is one line per office, "• name (areas)".
    "location_outside_offices": (
        "Lokasi itu di luar wilayah kerja semua kantor yang dilayani bot ini:\n{offices}\n"
        "Kirim lokasi di dalam salah satu wilayah tersebut, atau ketik alamatnya."
    ),
    "address_no_office": (
        "Kami belum tahu kantor mana yang menangani alamat itu. Tambahkan nama kecamatan atau kota "
        "(misalnya {example}), atau kirim lokasi. Kantor yang dilayani:\n{offices}"
    ),
    "office_line": "• {name} ({area})",
    "address_too_short": "Alamat terlalu pendek. Ketik alamat {min}–{max} karakter, atau kirim lokasi.",
    "address_too_long": "Alamat terlalu panjang. Ketik alamat {min}–{max} karakter, atau kirim lokasi.",
    "prompt_description": (
        "<b>3/5 · Uraian</b>\nCeritakan apa yang Anda lihat: siapa, apa yang dilakukan, sejak kapan, "
        "seberapa sering. Tulis {min}–{max} karakter."
    ),
    "description_too_short": "Uraian terlalu pendek ({length} karakter). Tulis antara {min} dan {max} karakter.",
    "description_too_long": "Uraian terlalu panjang ({length} karakter). Tulis antara {min} dan {max} karakter.",
    "prompt_photos": (
        "<b>4/5 · Foto</b>\nKirim foto sebagai bukti (paling banyak {max}), atau tekan <b>Lewati</b> "
        "jika tidak ada."
    ),
    "prompt_photos_replace": (
        "<b>4/5 · Foto</b>\nKirim foto pengganti (paling banyak {max}); foto sebelumnya sudah dihapus. "
        "Tekan <b>Lewati</b> untuk melanjutkan tanpa foto."
    ),
    "btn_skip": "Lewati",
    "btn_done": "Selesai",
    "photo_received": "📷 {count} dari {max} foto terlampir. Kirim foto lain, atau tekan <b>Selesai</b>.",
    "album_rejected": "{rejected} foto tidak disimpan: paling banyak {max} foto.",
    "photos_max": "Paling banyak {max} foto; foto ini tidak disimpan. Tekan <b>Selesai</b> untuk melanjutkan.",
    "not_an_image": "Berkas ini bukan gambar. Kirim foto (JPEG, PNG, atau WebP).",
    "image_too_big": "Gambar ini terlalu besar (maksimal 20 MB). Kirim sebagai foto biasa.",
    "review": (
        "<b>5/5 · Periksa laporan Anda</b>\n\n"
        "<b>Kategori:</b> {category}\n"
        "<b>Lokasi:</b> {location}\n"
        "<b>Foto:</b> {photos}\n"
        "<b>Uraian:</b>\n{description}\n\n"
        "Tekan <b>Kirim</b> untuk mengirim laporan ke petugas, <b>Ubah</b> untuk memperbaiki, "
        "atau <b>Batal</b>."
    ),
    "review_photos": "{count} foto",
    "review_no_photos": "tidak ada",
    "review_missing": "—",
    "btn_submit": "✅ Kirim",
    "btn_edit": "✏️ Ubah",
    "btn_cancel": "❌ Batal",
    "edit_menu": "Bagian mana yang ingin Anda ubah?",
    "btn_edit_category": "Kategori",
    "btn_edit_location": "Lokasi",
    "btn_edit_description": "Uraian",
    "btn_edit_photos": "Foto",
    "btn_back_review": "Kembali",
    "expect_category": "Pilih salah satu kategori dengan tombol di bawah.",
    "expect_location": (
        "Kirim lokasi kejadian dengan tombol 📍, pilih titik di peta (📎 → Lokasi), atau ketik alamatnya."
    ),
    "expect_description": "Tulis uraian kejadian sebagai teks ({min}–{max} karakter).",
    "expect_photos": "Kirim foto (paling banyak {max}), atau tekan <b>Lewati</b> / <b>Selesai</b>.",
    "expect_review": "Tekan <b>Kirim</b>, <b>Ubah</b>, atau <b>Batal</b> di bawah ringkasan laporan.",
    "submitted": (
        "✅ Laporan terkirim. Nomor laporan Anda: <b>{number}</b>\n\n"
        "Petugas imigrasi sudah diberi tahu sekarang. Anda akan mendapat kabar saat petugas menangani "
        "laporan ini dan saat laporan ditutup.\n"
        "Lihat laporan Anda kapan saja dengan /laporanku."
    ),
    "cancelled": "Laporan dibatalkan. Ketik /start untuk membuat laporan baru.",
    "nothing_to_cancel": "Tidak ada laporan yang sedang dibuat. Ketik /start untuk membuat laporan.",
    "no_draft": "Ketik /start untuk membuat laporan.",
    "draft_expired": (
        "Laporan Anda yang belum selesai kedaluwarsa karena lama tidak ada balasan. "
        "Ketik /start untuk melanjutkannya."
    ),
    "myreports_title": "<b>Laporan Anda</b> (terbaru dulu):",
    "myreports_item": "<b>{number}</b> · {date}\n{category} · {status}",
    "myreports_empty": "Anda belum pernah mengirim laporan. Ketik /start untuk membuat laporan.",
    "status_new": "Baru",
    "status_taken": "Ditangani",
    "status_resolved": "Selesai",
    "status_closed": "Ditutup",
    "btn_lang_id": "Bahasa Indonesia",
    "btn_lang_en": "English",
    # --- officers ---
    # The alert in the officers' group (always rendered in Indonesian, the group's language).
    "alert_title": "🚨 <b>Laporan {number}</b>",
    "alert_walk_in": "🏢 <b>Walk-in</b> · laporan langsung di kantor",
    "alert_category": "📂 Kategori: <b>{category}</b>",
    "alert_time": "🕘 Waktu: {time}",
    "alert_area": "📍 Wilayah: {area}",
    "alert_area_unknown": "📍 Wilayah: di luar peta / alamat diketik",
    "alert_location": "🗺 Lokasi: <a href=\"{link}\">{coords}</a> ({source})",
    "alert_location_none": "🗺 Lokasi: tanpa koordinat (alamat diketik)",
    "alert_address": "🏠 Alamat: {address}",
    "alert_description": "📝 Keterangan:\n{description}",
    "alert_photos": "📷 Foto: {count}",
    "alert_reporter": "👤 Pelapor: {alias} · {standing}",
    "alert_identity": "🪪 Identitas pelapor: {identity}",
    "alert_standing_first": "laporan pertama",
    "alert_standing_history": "{earlier} laporan sebelumnya ({resolved} selesai, {false_reports} palsu)",
    "alert_standing_phone": "HP terverifikasi",
    "alert_source_gps": "GPS ±{accuracy} m",
    "alert_source_gps_plain": "GPS",
    "alert_source_live": "lokasi langsung / live",
    "alert_source_pin": "titik di peta / pin",
    "alert_source_venue": "tempat / venue",
    "alert_source_forwarded": "lokasi diteruskan / forwarded",
    "alert_source_text": "alamat diketik",
    "alert_status_new": "🆕 Baru",
    "alert_status_taken": "🟡 Ditangani oleh {name} · {time}",
    "alert_status_resolved": "✅ Selesai oleh {name} · {time}",
    "alert_status_false_report": "⛔ Laporan palsu ({name} · {time})",
    "alert_btn_take": "🙋 Tangani / Take",
    "alert_btn_resolve": "✅ Selesai / Resolved",
    "alert_btn_false": "⛔ Palsu / False",
    "alert_btn_photos": "📷 Foto ({count}) / Photos",
    "alert_photos_caption": "📷 Foto laporan {number}",
    "alert_plain_note": "(tampilan sederhana)",
    # Toasts to the officer who pressed a button (in the officer's own language).
    "officer_toast_taken": "Anda menangani {number}.",
    "officer_toast_already_taken": "Sudah ditangani oleh {name}.",
    "officer_toast_already_yours": "Anda sudah menangani {number}.",
    "officer_toast_resolved": "{number} ditandai selesai.",
    "officer_toast_false_report": "{number} ditandai laporan palsu.",
    "officer_toast_not_taker": "Hanya {name} (yang menangani) atau supervisor yang dapat menutup laporan ini.",
    "officer_toast_not_taken_yet": "Laporan ini belum ditangani. Tekan Tangani dulu.",
    "officer_toast_closed": "Laporan {number} sudah ditutup.",
    "officer_toast_not_found": "Laporan tidak ditemukan.",
    "officer_toast_photos_queued": "Foto sedang dikirim.",
    "officer_toast_photos_already": "Foto sudah dikirim di grup.",
    "officer_toast_no_photos": "Tidak ada foto lain.",
    "officer_toast_not_officer": "Maaf, Anda tidak terdaftar sebagai petugas.",
    "officer_toast_other_office": "Laporan ini milik kantor lain; tombolnya hanya berlaku di grup kantor tersebut.",
    "officer_toast_wrong_chat": "Tombol ini hanya berlaku di grup petugas.",
    # Notifications to the resident who reported (no officer names).
    "notify_status_taken": "🟡 Laporan <b>{number}</b> sedang ditangani petugas. Terima kasih atas laporan Anda.",
    "notify_status_resolved": "✅ Laporan <b>{number}</b> telah selesai ditindaklanjuti. Terima kasih.",
    "notify_status_false_report": (
        "Laporan <b>{number}</b> telah ditutup setelah pemeriksaan petugas. Terima kasih atas kepedulian Anda."
    ),
    # --- office ---
    # SLA: the reminder in the group (a reply to the alert) and the supervisors' escalation.
    "sla_reminder": "⏰ Laporan <b>{number}</b> belum ditangani ({waited}).\n{officers}",
    "sla_on_duty": "Petugas jaga: {names}",
    "sla_nobody_on_duty": "Belum ada petugas jaga. Ketik /duty on untuk mulai bertugas.",
    "sla_more_officers": "+{n} lainnya",
    "sla_escalation": "⚠️ Laporan <b>{number}</b> belum ditangani selama {waited}.",
    "sla_escalation_details": "{category} · {area} · masuk {time}",
    "sla_escalation_link": "<a href=\"{link}\">Buka laporan {number} di grup</a>",
    # /duty
    "duty_on_done": "✅ Anda tercatat bertugas. Pengingat laporan yang belum ditangani akan menyebut nama Anda.",
    "duty_off_done": "Anda tidak lagi tercatat bertugas.",
    "duty_status": "Status Anda: {state}.\n{officers}\n\nGunakan /duty on atau /duty off.",
    "duty_state_on": "bertugas",
    "duty_state_off": "tidak bertugas",
    # The daily digest to supervisors.
    "digest_title": "<b>🗓 Ringkasan harian {day}</b>",
    "digest_received": "Masuk: {total} laporan ({held} ditahan untuk ditinjau)",
    "digest_handled": "Ditangani: {taken} · selesai: {resolved} · palsu: {false_reports}",
    "digest_to_taken": "Sampai ditangani: median {median}, p90 {p90} (dari {n})",
    "digest_sla": "Lewat batas: {reminded} belum ditangani dalam {remind} · {escalated} dieskalasi setelah {escalate}",
    "digest_open": "Terbuka sekarang: {new} baru · {taken} ditangani · {held} ditahan",
    "digest_overdue_none": "Tidak ada laporan yang ditangani lebih dari {hours} jam tanpa ditutup.",
    "digest_overdue_title": "Ditangani lebih dari {hours} jam tanpa ditutup: {count}",
    "digest_overdue_item": "• <b>{number}</b> · {name} · sejak {time}",
    "digest_overdue_more": "… dan {n} lainnya",
    # Periods of /stats and /export.
    "period_unknown": "Periode tidak dikenal. Contoh: {command} today, {command} 7d, {command} 30d, {command} 2026-03-01..2026-03-31",
    "period_reversed": "Tanggal awal harus sebelum tanggal akhir, contoh: {command} 2026-03-01..2026-03-31",
    "period_too_long": "Periode paling panjang 366 hari.",
    # /stats for one period, and its chart.
    "statsx_title": "<b>📊 Statistik {period}</b>\nper {when}\n{total} laporan",
    "statsx_status_held": "ditahan",
    "statsx_status_rejected": "ditolak",
    "statsx_channels": "Saluran: {items}",
    "statsx_channel_telegram": "Telegram",
    "statsx_channel_walk_in": "walk-in",
    "statsx_areas": "Wilayah: {items}",
    "statsx_area_unknown": "tanpa wilayah",
    "statsx_to_closed": "Sampai ditutup (selesai atau palsu): median {median}, p90 {p90} (dari {n})",
    "statsx_false_share": "Laporan palsu: {percent}% dari {closed} laporan yang ditutup",
    "statsx_officers": "Per petugas (ditangani · selesai · palsu):",
    "statsx_officer": "• {name}: {taken} · {resolved} · {false_reports}",
    "statsx_more_officers": "… dan {n} petugas lain",
    "chart_title_days": "Laporan per hari menurut hasil",
    "chart_title_map": "Lokasi laporan: {located} dengan titik, {unlocated} tanpa titik",
    "chart_map_scale": "laporan per sel ±1 km",
    "chart_areas": "Kecamatan terbanyak",
    "chart_no_points": "Tidak ada laporan dengan titik lokasi",
    "chart_screened_out": "ditahan/ditolak",
    "chart_caption": "📈 Grafik {period}",
    # /export
    "export_caption": "{kind} laporan {period}: {count} laporan (format Open311). Identitas pelapor tidak disertakan.",
    "export_gzip": "Dikompres gzip karena lebih dari 50 MB.",
    "export_part": "Bagian {part} dari {parts}: gabungkan semua bagian (cat) lalu buka dengan gunzip.",
    "export_empty": "Tidak ada laporan pada {period}.",
    # --- followup ---
    # Walk-in reports, typed by an officer at the desk (/walkin, private chat).
    "wi_intro": (
        "🏢 <b>Laporan walk-in</b>\nAnda mencatat laporan warga yang datang ke kantor. Nama dan nomor HP "
        "pelapor hanya disimpan untuk kantor dan tidak tampil di grup. Batalkan dengan /batal."
    ),
    "wi_not_officer": "Perintah ini hanya untuk petugas (anggota grup petugas).",
    "wi_prompt_name": "<b>Walk-in 1/3 · Nama pelapor</b>\nKetik nama pelapor, atau tekan <b>Lewati</b>.",
    "wi_prompt_phone": (
        "<b>Walk-in 2/3 · Nomor HP pelapor</b>\nKetik nomor HP (mis. 0812 3456 7890), atau tekan <b>Lewati</b>."
    ),
    "wi_prompt_interviewer": (
        "<b>Walk-in 3/3 · Diwawancarai oleh</b>\nTekan <b>{name}</b> jika Anda sendiri, atau ketik nama petugas lain."
    ),
    "wi_prompt_location": (
        "<b>2/5 · Lokasi</b>\nKetik alamat kejadian, atau kirim titik di peta (📎 → Lokasi). "
        "Jangan kirim lokasi Anda sendiri: itu lokasi kantor."
    ),
    "wi_btn_me": "👤 {name}",
    "wi_name_invalid": "Nama harus {min}–{max} karakter. Ketik lagi, atau tekan tombol di bawah.",
    "wi_phone_invalid": "Nomor HP tidak valid: ketik {min}–{max} angka (boleh diawali +), atau tekan <b>Lewati</b>.",
    "wi_expect_text": "Ketik jawabannya sebagai teks, atau tekan tombol di bawah.",
    "wi_review_head": (
        "🏢 <b>Walk-in</b>\n<b>Pelapor:</b> {name}\n<b>HP:</b> {phone}\n<b>Diwawancarai oleh:</b> {interviewer}"
    ),
    "wi_none": "—",
    "step_wi_name": "nama pelapor",
    "step_wi_phone": "HP pelapor",
    "step_wi_interviewer": "pewawancara",
    "btn_edit_wi_name": "Nama pelapor",
    "btn_edit_wi_phone": "HP pelapor",
    "btn_edit_wi_interviewer": "Pewawancara",
    "wi_submitted": "✅ Laporan walk-in <b>{number}</b> tercatat dan dikirim ke grup petugas.",
    "wi_submitted_held": (
        "✅ Laporan walk-in <b>{number}</b> tercatat; menunggu pemeriksaan supervisor (/review) sebelum masuk grup."
    ),
    "wi_alert_interviewer": "🗣 Diwawancarai oleh: {name}",
    # Anonymous follow-up: officers ask, the reporter answers, through the bot only.
    "fu_btn_ask": "❓ Tanya pelapor / Ask reporter",
    "fu_toast_dm": "Tulis pertanyaan Anda di chat pribadi dengan bot.",
    "fu_toast_start_bot": "Buka chat pribadi dengan bot, tekan /start, lalu tekan tombol ini lagi.",
    "fu_toast_not_taker": "Hanya {name} (yang menangani) atau supervisor yang dapat bertanya ke pelapor.",
    "fu_toast_walk_in": "Laporan walk-in: pelapor tidak memakai Telegram. Hubungi lewat catatan kantor.",
    "fu_ask_prompt": (
        "❓ Tulis pertanyaan untuk pelapor laporan <b>{number}</b> (teks, paling banyak {max} karakter).\n"
        "Pelapor tidak melihat nama Anda, dan Anda tidak melihat identitasnya. Batalkan dengan /batal."
    ),
    "fu_question_sent": "✅ Pertanyaan dikirim ke pelapor {number}. Jawabannya muncul di grup sebagai balasan laporan.",
    "fu_expect_question": "Tulis pertanyaan sebagai teks (paling banyak {max} karakter), atau /batal.",
    "fu_too_long": "Pesan terlalu panjang ({length} karakter, paling banyak {max}). Persingkat lalu kirim lagi.",
    "fu_closed": "Laporan {number} sudah ditutup; pesan ini tidak diteruskan.",
    "fu_cancelled": "Dibatalkan; tidak ada yang diteruskan.",
    "fu_question": (
        "❓ Petugas bertanya tentang laporan <b>{number}</b>:\n\n{question}\n\n"
        "Tekan <b>Jawab</b> atau balas pesan ini. Identitas Anda tetap dirahasiakan."
    ),
    "fu_btn_answer": "✍️ Jawab / Answer",
    "fu_answer_prompt": (
        "✍️ Tulis jawaban Anda untuk laporan <b>{number}</b> (teks atau foto). Batalkan dengan /batal."
    ),
    "fu_info_prompt": (
        "ℹ️ Tulis informasi tambahan untuk laporan <b>{number}</b> (teks atau foto). Batalkan dengan /batal."
    ),
    "fu_expect_answer": "Kirim teks (paling banyak {max} karakter) atau foto, atau /batal.",
    "fu_answer_sent": "✅ Terima kasih, jawaban Anda diteruskan ke petugas (laporan {number}).",
    "fu_info_sent": "✅ Terima kasih, informasi Anda diteruskan ke petugas (laporan {number}).",
    "fu_too_many": "Anda sudah mengirim banyak pesan dalam satu jam terakhir. Coba lagi nanti.",
    "fu_btn_add_info": "➕ Tambah info {number}",
    "fu_group_question": "❓ <b>{officer}</b> bertanya ke pelapor {alias} (laporan {number}):\n{text}",
    "fu_group_answer": "💬 Jawaban pelapor {alias} (laporan {number}):\n{text}",
    "fu_group_info": "ℹ️ Info tambahan dari pelapor {alias} (laporan {number}):\n{text}",
    "fu_undeliverable": "⚠️ Pertanyaan untuk pelapor laporan {number} tidak terkirim: pelapor memblokir bot.",
    "fu_photo_only": "(foto)",
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
    "stats_status_held": "ditahan untuk diperiksa",
    "stats_status_rejected": "ditolak",
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
    # Several offices (bot/scope.py): what a supervisor's command covers, and per-office lines.
    "scope_national": "Nasional",
    "scope_not_yours": "Maaf, Anda hanya dapat melihat data {offices}, bukan {office}.",
    "scope_usage": "Kantor: {keys}. Satu kantor saja: {command} {code} atau {command} {code} 7d",
    "stats_title_office": "<b>📊 Statistik laporan · {office}</b>\nper {when}",
    "stats_offices_title": "<b>Per kantor</b> (hari ini · 7 hari · 30 hari · semua):",
    "stats_office_line": "• {name} ({code}): {counts}",
    "stats_offices_more": "… dan {n} kantor lain; satu kantor: {command} KODE",
    "statsx_title_office": "<b>📊 Statistik {period} · {office}</b>\nper {when}\n{total} laporan",
    "statsx_offices_title": "<b>Per kantor</b> (jumlah · baru · ditangani · selesai · palsu):",
    "digest_title_office": "<b>🗓 Ringkasan harian {day} · {office}</b>",
    "digest_offices_title": "<b>Per kantor</b> (masuk · terbuka · lewat {hours} jam):",
    # --- screening ---
    "scr_score_line": "Skor kepercayaan {score} · {reasons}",
    "scr_r_restricted": "pelapor dibatasi sampai {until}",
    "scr_r_rate_limited": "melewati batas jumlah laporan ({hour} dalam 1 jam, {day} dalam 24 jam)",
    "scr_r_rate_high": "laporan ke-{hour} dalam 1 jam, ke-{day} dalam 24 jam",
    "scr_r_walk_in": "laporan langsung, diterima petugas di kantor",
    "scr_r_phone_verified": "nomor HP pelapor terverifikasi",
    "scr_r_reputation_good": "riwayat baik ({confirmed} terbukti, {false} palsu)",
    "scr_r_reputation_bad": "riwayat laporan palsu ({false} palsu, {confirmed} terbukti)",
    "scr_r_vague": "isi terlalu umum: tidak jelas siapa, apa, di mana",
    "scr_r_gibberish": "teks tidak bermakna ({percent}% kata acak)",
    "scr_r_slur": "berisi hinaan terhadap suatu bangsa",
    "scr_r_exact_copy": "salinan persis laporan {report}",
    "scr_r_near_duplicate": "teks {similarity}% sama dengan laporan {report} dari akun lain",
    "scr_r_own_duplicate": "teks {similarity}% sama dengan laporan {report} dari pelapor yang sama",
    "scr_r_photo_reused": "foto yang sama sudah dipakai di laporan {report}",
    "scr_r_photo_reencoded": "foto salinan (disimpan ulang) dari laporan {report}",
    "scr_r_photo_forwarded": "{count} foto diteruskan dari tempat lain",
    "scr_r_own_photo": "{count} foto asli dari pelapor",
    "scr_r_forwarded_location": "lokasi diteruskan dari orang lain",
    "scr_r_typed_address": "alamat diketik, tanpa titik lokasi",
    "scr_r_live_location": "lokasi langsung ±{accuracy} m",
    "scr_r_gps_location": "lokasi GPS ±{accuracy} m",
    "scr_r_poor_accuracy": "lokasi tidak akurat (±{accuracy} m)",
    "scr_r_outside": "di luar wilayah kerja kantor",
    "scr_r_too_fast": "seluruh laporan ({chars} huruf) diisi dalam {seconds} detik",
    "scr_r_burst": "{accounts} akun baru melaporkan tempat yang sama dalam {hours} jam",
    "scr_r_shared_pin": "titik peta sama persis dengan laporan {report} dari akun lain",
    "scr_r_repeat_target": "laporan ke-{count} pelapor ini tentang tempat yang sama dalam {days} hari",
    "scr_r_witnesses": "{count} saksi lain yang independen",
    "scr_incident_count": "📎 {count} laporan / {count} reports",
    "scr_incident_newest": "Terbaru: <b>{number}</b> · {time} · {area}\n<i>{excerpt}</i>",
    "scr_resident_joined": "Terima kasih. Laporan <b>{number}</b> diterima dan digabungkan dengan kasus yang sedang ditangani petugas di lokasi yang sama.",
    "scr_resident_rate": "Laporan tidak dapat diterima: Anda sudah mengirim terlalu banyak laporan dalam waktu singkat. Silakan coba lagi nanti.",
    "scr_resident_restricted": "Laporan tidak dapat diterima: pengiriman laporan dari akun Anda dibatasi sampai {until}. Jika ini keliru, hubungi kantor imigrasi.",
    "scr_resident_rejected": "Laporan tidak dapat diterima.",
    "scr_phone_offer": "Opsional: bagikan nomor HP Anda agar laporan Anda lebih dipercaya. Nomor tidak ditampilkan kepada petugas di grup.",
    "scr_phone_button": "📱 Bagikan nomor saya",
    "scr_phone_skip": "Tidak, terima kasih",
    "scr_phone_thanks": "Terima kasih, nomor Anda terverifikasi.",
    "scr_phone_not_own": "Mohon bagikan nomor Anda sendiri dengan tombol di bawah.",
    "scr_phone_skipped": "Baik, tanpa nomor HP.",
    "scr_review_empty": "Tidak ada laporan yang ditahan.",
    "scr_review_header": "Laporan ditahan: {count} (terlama dulu)",
    "scr_review_item": "<b>{number}</b> · {category} · {area}\nSkor {score} · {when} · pelapor {alias}\n{reasons}\n<i>{excerpt}</i>",
    "scr_btn_forward": "Teruskan",
    "scr_btn_reject": "Tolak",
    "scr_btn_restrict": "Batasi pelapor",
    "scr_reject_choose": "Alasan menolak {number}:",
    "scr_reject_false": "Palsu",
    "scr_reject_vague": "Tidak jelas",
    "scr_reject_duplicate": "Duplikat",
    "scr_reject_abusive": "Hinaan / dendam",
    "scr_review_forwarded": "{number} diteruskan ke grup.",
    "scr_review_rejected": "{number} ditolak ({reason}).",
    "scr_review_already": "{number} sudah ditangani.",
    "scr_restrict_usage": "Gunakan: /restrict &lt;nomor laporan|alias pelapor&gt; [alasan]",
    "scr_unrestrict_usage": "Gunakan: /unrestrict &lt;nomor laporan|alias pelapor&gt;",
    "scr_reporter_unknown": "Laporan atau pelapor {ref} tidak ditemukan.",
    "scr_restricted_done": "Pelapor {alias} dibatasi sampai {until} (tingkat {level}).",
    "scr_unrestricted_done": "Pembatasan pelapor {alias} dicabut.",
    "scr_not_restricted": "Pelapor {alias} tidak sedang dibatasi.",
    # Several offices: each held report names its office; another office's report is not yours to decide.
    "scr_review_office": "🏢 {office}",
    "scr_review_other_office": "Laporan ini milik kantor lain; supervisor kantor tersebut yang memeriksanya.",
}
