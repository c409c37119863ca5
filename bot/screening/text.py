"""Text heuristics in Indonesian and English: vagueness, gibberish, slurs, copy-paste.

Word lists are deliberately small and concrete: they decide nothing alone, they add a weighted
signal with a reason an officer can check by reading the report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

NATIONALITIES = frozenset(
    """
    wna asing bule foreigner foreigners foreign expat expats turis tourist tourists
    china cina chinese tiongkok tionghoa korea korean koreans jepang japanese india indian indians
    nigeria nigerian nigerians afrika african africans arab arabs pakistan pakistani bangladesh
    bangladeshi vietnam vietnamese filipina filipino filipinos thailand thai myanmar rusia russia
    russian russians amerika american americans eropa european europeans taiwan taiwanese malaysia
    malaysian uzbek uzbekistan iran iranian yaman yemen yemeni turki turkish kamerun cameroon ghana
    sudan somalia negro
    """.split()
)

_WHO = NATIONALITIES | frozenset(
    """
    orang pria wanita laki perempuan cewek cowok bapak ibu pak bu mas mbak pekerja buruh karyawan
    tamu penghuni penyewa pemilik mandor warga anak pasangan keluarga rombongan kelompok sopir
    man men woman women guy guys people person persons worker workers tenant tenants owner owners
    staff employee employees family couple group driver boss manager someone
    """.split()
)

_WHAT = frozenset(
    """
    kerja bekerja kerjanya dipekerjakan jualan berjualan menjual jual tinggal menginap nginap
    mengajar ngajar membuka usaha praktek praktik mengemudi ojek berdagang dagang produksi
    mengoperasikan memakai pakai paspor visa kitas kitap izin overstay mabuk berkelahi ribut
    keributan bising memalsukan palsu transaksi narkoba judi prostitusi menyewa sewa menyewakan
    mengurus memasak mencuci menambang memotong mengangkut bangun membangun tambang kabur
    work works working worked sell sells selling sold live lives living stay stays staying teach
    teaching run runs running operate operates operating drive drives driving passport passports
    visa visas permit permits overstaying drunk fight fighting noise noisy forged fake gambling
    renting rent rents cooking building build construction mining deliver delivering loading
    """.split()
)

_WHERE = frozenset(
    """
    jl jln jalan gang gg rt rw blok no nomor komplek kompleks perumahan perum pabrik gudang toko
    warung ruko kios apartemen kos kost kontrakan rumah restoran kafe hotel pasar mall kantor
    proyek depan samping belakang sebelah dekat seberang lantai kelurahan kecamatan desa kampung
    masjid sekolah pelabuhan bandara terminal stasiun lapangan tower cluster ujung pojok
    street st road rd ave avenue lane block building floor factory warehouse shop store market
    office site near opposite behind next beside corner house unit apartment mosque school
    airport station port terminal restaurant hotel boarding
    tangerang ciledug karawaci cipondoh tigaraksa cikokol cikupa batuceper benda jatiuwung
    karangtengah larangan neglasari periuk pinang serpong bsd cisauk kosambi teluknaga balaraja
    """.split()
)

_WHEN = frozenset(
    """
    pagi siang sore malam tiap setiap sejak kemarin tadi hari minggu bulan jam pukul senin selasa
    rabu kamis jumat sabtu subuh tengah
    morning afternoon evening night nights every since yesterday today tonight daily week weeks
    month months hour hours am pm monday tuesday wednesday thursday friday saturday sunday
    """.split()
)

_NUMBER_WORDS = frozenset(
    """
    dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belasan puluhan ratusan
    two three four five six seven eight nine ten eleven twelve dozen dozens
    """.split()
)

SLURS = frozenset(
    """
    aseng cokin singkek sipit onta chink chinks gook gooks nigger niggers nigga niggas paki pakis
    wetback towelhead coon coons
    """.split()
)

INSULTS = frozenset(
    """
    babi anjing bangsat monyet kampret brengsek bajingan keparat setan iblis
    pig pigs dogs vermin scum rats cockroaches animals monkeys filthy parasites parasite
    """.split()
)

_KEYBOARD_RUNS = ("qwert", "werty", "asdf", "sdfg", "zxcv", "xcvb", "hjkl", "uiop", "jkl;")
_VOWELS = set("aeiouy")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Lowercase, accents off, punctuation to spaces, one space between words. Cached: every
    screening compares against the same recent texts."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_TOKEN.findall(folded))


def tokens(text: str) -> list[str]:
    return normalize(text).split()


@dataclass(frozen=True)
class Concreteness:
    words: int
    facets: tuple[str, ...]


def concreteness(text: str) -> Concreteness:
    """Which of who/what/where/when/number the text names concretely."""
    words = tokens(text)
    present = set(words)
    facets = []
    if present & _WHO:
        facets.append("who")
    if present & _WHAT:
        facets.append("what")
    if present & _WHERE:
        facets.append("where")
    if present & _WHEN:
        facets.append("when")
    if present & _NUMBER_WORDS or any(ch.isdigit() for ch in text):
        facets.append("number")
    return Concreteness(len(words), tuple(facets))


def _bad_token(tok: str) -> bool:
    letters = [ch for ch in tok if ch.isalpha()]
    if len(letters) < 4 or not tok.isascii():
        return False
    vowels = sum(1 for ch in letters if ch in _VOWELS)
    if vowels == 0 or vowels / len(letters) < 0.2:
        return True
    if re.search(r"(.)\1{3,}", tok) or re.search(r"[^aeiouy\d]{5,}", tok):
        return True
    return any(run in tok for run in _KEYBOARD_RUNS)


def gibberish_ratio(text: str) -> float:
    """Share of the words that cannot be words (keyboard mashes, no vowels, long repeats), or of
    repeated words; 0 for texts too short to judge."""
    words = tokens(text)
    judged = [w for w in words if sum(ch.isalpha() for ch in w) >= 4]
    if len(words) < 3 or not judged:
        return 0.0
    bad = sum(1 for w in judged if _bad_token(w)) / len(judged)
    repetitive = 1 - len(set(words)) / len(words) if len(words) >= 6 else 0.0
    non_letters = text.strip()
    letter_share = sum(ch.isalpha() for ch in non_letters) / max(1, sum(not ch.isspace() for ch in non_letters))
    return max(bad, repetitive, 1 - letter_share if letter_share < 0.5 else 0.0)


def slur_terms(text: str, *, window: int = 1) -> list[str]:
    """Slurs, and insults next to a nationality ("dasar cina babi", "Chinese pigs"). Only next to
    it: "orang Filipina membuang sampah" is a complaint about rubbish, not an insult."""
    words = tokens(text)
    found = [w for w in words if w in SLURS]
    for i, w in enumerate(words):
        if w in INSULTS:
            near = words[max(0, i - window): i + window + 1]
            if any(n in NATIONALITIES for n in near):
                found.append(w)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class TextMatch:
    index: int
    similarity: float
    exact: bool


def similar(query: str, choices: Sequence[str], *, cutoff: float, min_chars: int) -> list[TextMatch]:
    """Indices of `choices` (normalized texts) whose similarity to `query` (normalized) reaches
    `cutoff` (0-100). Word order is ignored so that shuffled sentences still match; texts shorter
    than `min_chars` are skipped (two people can both write "WNA kerja ilegal")."""
    if len(query) < min_chars or not choices:
        return []
    found = process.extract(
        query, choices, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=None, processor=None
    )
    out = []
    for _choice, score, index in found:
        if len(choices[index]) < min_chars:
            continue
        out.append(TextMatch(index=index, similarity=float(score), exact=choices[index] == query))
    return out


def similarity(a: str, b: str) -> float:
    return float(fuzz.token_sort_ratio(a, b, processor=None))


def any_similar(query: str, others: Iterable[str], *, cutoff: float, min_chars: int) -> bool:
    return bool(similar(query, list(others), cutoff=cutoff, min_chars=min_chars))
