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
}
