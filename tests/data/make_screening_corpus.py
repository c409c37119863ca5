"""Generate the labelled screening corpus: tests/data/screening_cases.jsonl + tests/data/photos/.

    .venv/bin/python tests/data/make_screening_corpus.py

Deterministic (fixed seed). Two weeks of a launch in Tangerang, in Indonesian and English:

genuine — ordinary concrete reports; short but concrete ones; first-time reporters without a phone;
  walk-ins typed by officers (address only); several independent witnesses of one event (own words,
  own photos, own fixes); returning reporters with confirmed reports; forwarded photos and typed
  addresses from honest people; a follow-up about the same site.
fake — floods from one account; one story copy-pasted across accounts (exact and edited); recycled
  photos (the same file, and re-encoded copies); vague reports; gibberish; slurs against a
  nationality; grudges (one reporter, one neighbour's house, again and again); bots that finish
  in seconds; bursts of new accounts at one spot (sharing a pin); forwarded locations and photos.

Photos are tiny random JPEGs (Pillow); a recycled one is the same file or a resized/recompressed copy.
Genuine texts are redrawn when they come out near-identical to another recent text: independent
people do not write the same sentence, and the corpus must not pretend they do.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from bot.geo import Jurisdiction  # noqa: E402
from bot.screening.text import normalize, similarity  # noqa: E402

SEED = 20260302
WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 3, 2, 7, 0, tzinfo=WIB)
DAYS = 14
OUT = HERE / "screening_cases.jsonl"
PHOTOS = HERE / "photos"

rng = random.Random(SEED)
JUR = Jurisdiction.default()

NATS_ID = ["Tiongkok", "Korea", "India", "Nigeria", "Vietnam", "Bangladesh", "Pakistan", "Jepang", "Filipina", "Rusia", "Uzbekistan", "Yaman"]
NATS_EN = ["Chinese", "Korean", "Indian", "Nigerian", "Vietnamese", "Bangladeshi", "Pakistani", "Japanese", "Filipino", "Russian", "Uzbek", "Yemeni"]
STREETS = ["Melati", "Kenanga", "Imam Bonjol", "Daan Mogot", "Gatot Subroto", "MH Thamrin", "Sudirman", "Ki Hajar Dewantara",
           "Veteran", "Perintis Kemerdekaan", "Raya Serpong", "Teuku Umar", "Hasyim Ashari", "Otista", "Jend. Ahmad Yani",
           "Kisamaun", "Merdeka", "Cikokol Raya", "Pajajaran", "Siliwangi", "Raden Saleh", "Mawar", "Anggrek", "Flamboyan"]
GANGS = ["Haji Naim", "Langgar", "Masjid", "Sawo", "Delima", "Pala", "Kelor", "Jambu", "Nangka"]
PERUMS = ["Taman Cibodas", "Villa Tangerang Indah", "Banjar Wijaya", "Modernland", "Poris Indah", "Alam Sutera", "Citra Raya", "Lippo Karawaci"]
BIZ_ID = ["pabrik sepatu", "pabrik plastik", "gudang elektronik", "restoran", "warung makan", "toko ponsel", "bengkel las", "proyek gedung", "salon", "karaoke", "klinik pijat", "pabrik garmen"]
BIZ_EN = ["shoe factory", "plastics factory", "electronics warehouse", "restaurant", "food stall", "phone shop", "welding workshop", "building site", "salon", "karaoke bar", "massage clinic", "garment factory"]
JOBS_ID = ["operator mesin", "koki", "mandor", "tukang las", "kasir", "sopir", "pengajar bahasa", "teknisi"]
JOBS_EN = ["machine operator", "cook", "foreman", "welder", "cashier", "driver", "language teacher", "technician"]
COLORS_ID = ["putih", "hitam", "silver", "merah", "abu-abu"]
COLORS_EN = ["white", "black", "silver", "red", "grey"]
CARS = ["Avanza", "Innova", "Xpander", "HR-V", "Fortuner", "Pajero", "Ertiga"]
MONTHS_ID = ["Januari", "Februari", "Desember", "November", "Oktober"]
MONTHS_EN = ["January", "February", "December", "November", "October"]
NUM_ID = {2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam"}
NUM_EN = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
CATEGORIES = ["overstay", "illegal_work", "suspicious", "public_order", "document_misuse", "other"]
CAT_WEIGHTS = [3, 5, 3, 2, 1, 1]


def pick(seq):
    return rng.choice(seq)


# --- facts of one sighting, written in a person's own words ---


@dataclass
class Facts:
    lang: str
    category: str
    count: int
    nat: int
    street: str
    no: int
    biz: int
    job: int
    hour: int
    weeks: int
    car: str
    color: int
    rt: int
    plate: str = field(default_factory=lambda: f"B {rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}")


def new_facts(lang: str, category: str) -> Facts:
    return Facts(
        lang=lang,
        category=category,
        count=rng.randint(1, 6),
        nat=rng.randrange(len(NATS_ID)),
        street=pick(STREETS),
        no=rng.randint(1, 180),
        biz=rng.randrange(len(BIZ_ID)),
        job=rng.randrange(len(JOBS_ID)),
        hour=rng.randint(6, 23),
        weeks=rng.randint(1, 10),
        car=pick(CARS),
        color=rng.randrange(len(COLORS_ID)),
        rt=rng.randint(1, 12),
    )


def _who_id(f: Facts) -> str:
    nat = NATS_ID[f.nat]
    n = f.count
    options = [
        f"{n} WNA asal {nat}" if n > 1 else f"seorang WNA asal {nat}",
        f"{NUM_ID.get(n, n)} orang {nat}" if n > 1 else f"satu orang {nat}",
        f"sekitar {n} pekerja asing dari {nat}" if n > 1 else f"seorang pria {nat}",
        f"warga negara {nat} ({n} orang)",
        f"ada {n} orang asing, kelihatannya dari {nat}," if n > 1 else f"ada bule {nat},",
    ]
    return pick(options)


def _who_en(f: Facts) -> str:
    nat = NATS_EN[f.nat]
    n = f.count
    options = [
        f"{n} {nat} nationals" if n > 1 else f"a {nat} man",
        f"{NUM_EN.get(n, n)} foreign workers, {nat} I think," if n > 1 else f"one {nat} woman",
        f"a group of {n} {nat} men" if n > 1 else f"a {nat} foreigner",
        f"some {nat} people ({n} of them)",
    ]
    return pick(options)


def _place_id(f: Facts) -> str:
    biz = BIZ_ID[f.biz]
    return pick([
        f"di {biz} Jl. {f.street} No. {f.no}",
        f"di {biz} di Jalan {f.street} nomor {f.no}",
        f"di rumah kontrakan Gang {pick(GANGS)} RT {f.rt:02d}/RW {rng.randint(1, 9):02d}, dekat {biz} Jl. {f.street}",
        f"di ruko Jl. {f.street} blok {pick('ABCDEF')}{rng.randint(1, 30)} (sebelah {biz})",
        f"di {biz} depan Perumahan {pick(PERUMS)}, Jl. {f.street}",
    ])


def _place_en(f: Facts) -> str:
    biz = BIZ_EN[f.biz]
    return pick([
        f"at the {biz} on Jl. {f.street} No. {f.no}",
        f"in the {biz} at {f.no} {f.street} street",
        f"at a rented house in Gang {pick(GANGS)}, RT {f.rt:02d}, near the {biz} on Jl. {f.street}",
        f"in a shophouse on Jl. {f.street}, block {pick('ABCDEF')}{rng.randint(1, 30)}, next to the {biz}",
        f"at the {biz} opposite {pick(PERUMS)} housing, Jl. {f.street}",
    ])


def _act_id(f: Facts) -> str:
    job = JOBS_ID[f.job]
    return {
        "overstay": pick([f"tinggal di sana sudah {f.weeks + 8} bulan, katanya visanya habis sejak {pick(MONTHS_ID)}",
                          "menginap terus di situ, tidak pernah lapor ke RT, izin tinggalnya sudah lewat",
                          f"sudah lama menetap, sekitar {f.weeks + 5} bulan, dan mengaku paspornya ditahan agen"]),
        "illegal_work": pick([f"bekerja sebagai {job} setiap hari",
                              f"kerja jadi {job}, masuk pagi pulang malam",
                              f"dipekerjakan sebagai {job} padahal cuma pakai visa turis",
                              f"setiap hari bekerja di bagian produksi sebagai {job}"]),
        "suspicious": pick(["sering keluar masuk membawa kardus besar pada malam hari",
                            f"menyewa tempat itu tapi jarang terlihat siang, mobil {CARS[f.color % len(CARS)]} datang tengah malam",
                            "mengambil foto-foto gardu listrik dan jembatan di sekitar situ",
                            "menerima banyak tamu asing yang berganti-ganti tiap minggu"]),
        "public_order": pick([f"sering mabuk dan ribut sampai jam {f.hour % 12 + 12}",
                              "berkelahi dengan warga di depan warung kemarin sore",
                              f"memutar musik keras tiap malam sampai pukul {f.hour % 3 + 1} pagi",
                              "membuang sampah dan parkir sembarangan sampai jalan tertutup"]),
        "document_misuse": pick(["memakai KTP atas nama orang lain untuk menyewa rumah",
                                 "menunjukkan paspor yang berbeda-beda kepada pemilik kontrakan",
                                 "punya KTP Indonesia padahal tidak bisa bahasa Indonesia sama sekali"]),
        "other": pick(["membuka praktik pengobatan tradisional tanpa izin",
                       "mengajar les privat dan dibayar per jam",
                       "menjual barang impor tanpa label dari rumah"]),
    }[f.category]


def _act_en(f: Facts) -> str:
    job = JOBS_EN[f.job]
    return {
        "overstay": pick([f"have been living there for about {f.weeks + 8} months, their visas expired in {pick(MONTHS_EN)}",
                          "stay there all the time and never reported to the RT, their permit ran out",
                          f"have stayed around {f.weeks + 5} months and say the agent kept their passports"]),
        "illegal_work": pick([f"work as a {job} every day",
                              f"are working as a {job}, in at 7 am and out at night",
                              f"are employed as a {job} on a tourist visa",
                              f"work in production as a {job} daily"]),
        "suspicious": pick(["come and go with large boxes at night",
                            f"rent the place but are rarely seen by day, a {CARS[f.color % len(CARS)]} comes at midnight",
                            "take photos of the substation and the bridge nearby",
                            "receive many foreign visitors, different ones every week"]),
        "public_order": pick([f"get drunk and noisy until {f.hour % 12 + 12}:00",
                              "had a fight with residents in front of the food stall yesterday evening",
                              f"play loud music every night until {f.hour % 3 + 1} am",
                              "dump rubbish and park so the road is blocked"]),
        "document_misuse": pick(["used someone else's KTP to rent the house",
                                 "showed different passports to the landlord",
                                 "hold an Indonesian KTP although they speak no Indonesian at all"]),
        "other": pick(["run a traditional medicine practice without a permit",
                       "teach private lessons and are paid by the hour",
                       "sell unlabelled imported goods from the house"]),
    }[f.category]


def _time_id(f: Facts) -> str:
    return pick([f"Sudah {f.weeks} minggu seperti ini.", f"Biasanya terlihat sekitar jam {f.hour}.",
                 f"Tadi pagi sekitar pukul {f.hour % 5 + 6}.{rng.randint(10, 59)} saya lihat lagi.",
                 f"Hampir tiap hari, sejak bulan {pick(MONTHS_ID)}.", "Kemarin sore masih ada."])


def _time_en(f: Facts) -> str:
    return pick([f"It has been like this for {f.weeks} weeks.", f"Usually around {f.hour}:00.",
                 f"I saw them again this morning at about {f.hour % 5 + 6}:{rng.randint(10, 59)}.",
                 f"Almost every day since {pick(MONTHS_EN)}.", "They were still there yesterday evening."])


def _extra_id(f: Facts) -> str:
    return pick([f"Mobilnya {f.car} warna {COLORS_ID[f.color]}, plat {f.plate}.", "Mereka tidak bisa bahasa Indonesia.",
                 "Ketua RT sudah tahu tapi belum ada tindakan.", "Saya tinggal di seberangnya.",
                 "Yang satu rambutnya pirang, yang lain pakai kacamata.", "Pemiliknya orang sini, namanya Pak H.",
                 f"Mereka datang naik {f.car} {COLORS_ID[f.color]}.", "", ""])


def _extra_en(f: Facts) -> str:
    return pick([f"Their car is a {COLORS_EN[f.color]} {f.car}, plate {f.plate}.", "They speak no Indonesian.",
                 "The RT head knows but nothing happened.", "I live across the road.",
                 "One has blond hair, another wears glasses.", "The owner is local, a Mr H.",
                 f"They arrive in a {COLORS_EN[f.color]} {f.car}.", "", ""])


def story(f: Facts) -> str:
    if f.lang == "id":
        first = f"{_who_id(f)} {_act_id(f)} {_place_id(f)}."
        rest = [_time_id(f), _extra_id(f)]
    else:
        first = f"{_who_en(f).capitalize()} {_act_en(f)} {_place_en(f)}."
        rest = [_time_en(f), _extra_en(f)]
    rng.shuffle(rest)
    text = " ".join([first[0].upper() + first[1:], *[r for r in rest if r]])
    return text


def short_story(f: Facts) -> str:
    nat_id, nat_en = NATS_ID[f.nat], NATS_EN[f.nat]
    if f.lang == "id":
        return pick([f"{f.count} WNA {nat_id} kerja di {BIZ_ID[f.biz]} Jl. {f.street} {f.no}",
                     f"WNA {nat_id} jadi {JOBS_ID[f.job]} di {BIZ_ID[f.biz]} Jl. {f.street}, tiap hari",
                     f"Bule {nat_id} overstay, tinggal di Gg. {pick(GANGS)} RT {f.rt}"])
    return pick([f"{f.count} {nat_en} working at {BIZ_EN[f.biz]}, Jl. {f.street} {f.no}",
                 f"{nat_en} {JOBS_EN[f.job]} at the {BIZ_EN[f.biz]} on Jl. {f.street}, daily",
                 f"{nat_en} man overstaying, house {f.no} Jl. {f.street}"])


VAGUE = [
    "Ada orang asing mencurigakan di sini, tolong dicek pak",
    "Banyak WNA di daerah saya, tolong ditindak",
    "tolong diperiksa orang asing itu, mencurigakan sekali",
    "Saya curiga ada orang asing ilegal, mohon segera datang",
    "Ada bule aneh, mohon ditangkap saja",
    "orang asing itu pasti ilegal, tolong diurus",
    "Lapor pak, ada WNA mencurigakan di lingkungan kami",
    "There are foreigners here, please check them",
    "suspicious foreigner around, please come quickly",
    "I think there are illegal foreigners, do something",
    "Foreigners acting strange, please investigate",
    "Please check, something is not right with those foreigners",
]


def vague_text() -> str:
    text = pick(VAGUE)
    return text + pick(["", "!", "!!", " segera", " asap", "."])


def gibberish_text() -> str:
    letters = "qwrtpsdfghjklzxcvbnm"
    words = []
    for _ in range(rng.randint(4, 8)):
        if rng.random() < 0.4:
            words.append(pick(["asdf", "qwerty", "zxcvb", "hjkl", "aaaaaa", "sdfgh"]) + "".join(rng.choice(letters) for _ in range(rng.randint(0, 3))))
        else:
            words.append("".join(rng.choice(letters) for _ in range(rng.randint(4, 9))))
    return " ".join(words)


def slur_text(f: Facts) -> str:
    if f.lang == "id":
        return pick([f"Dasar cina babi, tinggal di Jl. {f.street} No. {f.no}, usir saja semua",
                     f"Aseng-aseng di {BIZ_ID[f.biz]} Jl. {f.street} kerja ilegal semua, tangkap",
                     f"Orang {NATS_ID[f.nat]} anjing itu bikin ribut tiap malam di Gang {pick(GANGS)}",
                     f"Monyet {NATS_ID[f.nat]} di rumah no {f.no} Jl. {f.street} harus dideportasi"])
    return pick([f"Those chinks at the {BIZ_EN[f.biz]} on Jl. {f.street} work illegally, kick them out",
                 f"{NATS_EN[f.nat]} pigs living at {f.no} {f.street} street, deport them",
                 f"filthy {NATS_EN[f.nat]} scum at the {BIZ_EN[f.biz]}, Jl. {f.street} {f.no}"])


GRUDGE_ID = [
    "Tetangga saya WNA {nat} di Jl. {street} No. {no} kerja tanpa izin, tiap hari buka usaha di rumah",
    "WNA {nat} di rumah Jl. {street} nomor {no} lagi-lagi menerima tamu asing sampai malam, pasti melanggar izin",
    "Lapor lagi: orang {nat} di Jl. {street} {no} parkir mobil di depan rumah saya dan visanya pasti sudah habis",
    "Penghuni rumah no. {no} Jl. {street} (WNA {nat}) berisik tiap malam dan tidak punya KITAS, tolong diperiksa",
    "Sudah saya laporkan, WNA {nat} di Jl. {street} No. {no} masih tinggal di situ tanpa izin",
]
GRUDGE_EN = [
    "My neighbour, a {nat} national at {no} {street} street, runs a business from home without a permit",
    "The {nat} man at house {no} on Jl. {street} again had foreign guests until late, surely breaking his visa",
    "Reporting again: the {nat} at Jl. {street} {no} parks in front of my house and his visa must have expired",
    "The {nat} tenant of house {no}, Jl. {street}, is noisy every night and has no KITAS, please check",
]


# --- places, photos, events ---


def random_point() -> tuple[float, float]:
    lat0, lon0, lat1, lon1 = JUR.bbox
    while True:
        lat, lon = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
        if JUR.contains(lat, lon):
            return round(lat, 6), round(lon, 6)


def jitter(point: tuple[float, float], metres: float) -> tuple[float, float]:
    """A point within `metres` of `point`, still inside the jurisdiction (intake refuses others)."""
    for _ in range(100):
        dlat = rng.uniform(-metres, metres) / 111_320
        dlon = rng.uniform(-metres, metres) / 110_500
        lat, lon = round(point[0] + dlat, 6), round(point[1] + dlon, 6)
        if JUR.contains(lat, lon):
            return lat, lon
    return point


class Photos:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.n = 0
        self.files: dict[str, str] = {}  # file_unique_id → path

    def _save(self, img: Image.Image, quality: int) -> str:
        self.n += 1
        rel = f"photos/p{self.n:04d}.jpg"
        img.save(self.base / rel, "JPEG", quality=quality, optimize=True)
        return rel

    def new(self, forwarded: bool = False) -> dict:
        img = Image.new("RGB", (96, 72), tuple(rng.randint(0, 255) for _ in range(3)))
        draw = ImageDraw.Draw(img)
        for _ in range(rng.randint(3, 7)):
            box = sorted([rng.randint(0, 95), rng.randint(0, 95)]), sorted([rng.randint(0, 71), rng.randint(0, 71)])
            xy = [box[0][0], box[1][0], box[0][1] + 4, box[1][1] + 4]
            colour = tuple(rng.randint(0, 255) for _ in range(3))
            (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(xy, fill=colour)
        rel = self._save(img, 55)
        uid = f"AgAD{rng.getrandbits(48):012x}"
        self.files[uid] = rel
        return {"path": rel, "file_unique_id": uid, "forwarded": forwarded}

    def reuse(self, photo: dict, forwarded: bool = False) -> dict:
        """The very same file sent again: Telegram keeps its file_unique_id."""
        return {"path": photo["path"], "file_unique_id": photo["file_unique_id"], "forwarded": forwarded}

    def reencode(self, photo: dict, forwarded: bool = False) -> dict:
        """Saved and sent again: resized, recompressed, a new file_unique_id."""
        with Image.open(self.base / photo["path"]) as src:
            w, h = src.size
            img = src.convert("RGB").resize((int(w * rng.uniform(0.8, 1.2)), int(h * rng.uniform(0.8, 1.2))))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.randint(35, 70))
        rel = self._save(Image.open(io.BytesIO(buf.getvalue())), rng.randint(40, 80))
        uid = f"AgAD{rng.getrandbits(48):012x}"
        return {"path": rel, "file_unique_id": uid, "forwarded": forwarded}


@dataclass
class Reporter:
    telegram_id: int
    username: str | None
    lang: str
    verified: bool


class Corpus:
    def __init__(self, base: Path) -> None:
        self.events: list[dict] = []
        self.photos = Photos(base)
        self.next_tid = 500001
        self.n = 0
        self.texts: list[tuple[datetime, str]] = []

    def reporter(self, lang: str | None = None, verified: bool | None = None) -> Reporter:
        tid = self.next_tid
        self.next_tid += rng.randint(1, 40)
        lang = lang or ("id" if rng.random() < 0.75 else "en")
        name = pick(["budi", "siti", "agus", "dewi", "rina", "andi", "joko", "maya", "tono", "lina", "john", "sarah"])
        username = f"{name}_{tid % 1000}" if rng.random() < 0.7 else None
        return Reporter(tid, username, lang, rng.random() < 0.35 if verified is None else verified)

    def fresh_text(self, make, at: datetime, limit: float = 78.0) -> str:
        """A genuine text unlike any other of the last week (independent people write differently)."""
        for _ in range(40):
            text = make()
            norm = normalize(text)
            if all(similarity(norm, t) < limit for ts, t in self.texts if abs((at - ts).days) <= 8):
                break
        self.texts.append((at, normalize(text)))
        return text

    def report(
        self,
        label: str,
        kind: str,
        at: datetime,
        who: Reporter,
        category: str,
        description: str,
        *,
        point: tuple[float, float] | None,
        source: str = "pin",
        accuracy: float | None = None,
        address: str | None = None,
        photos: list[dict] | None = None,
        seconds: int | None = None,
        channel: str = "telegram",
    ) -> dict:
        self.n += 1
        location = None
        if point is not None:
            location = {
                "lat": point[0],
                "lon": point[1],
                "accuracy_m": accuracy if source in ("gps", "live") else None,
                "live": source == "live",
                "forwarded": source == "forwarded",
            }
        ev = {
            "type": "report",
            "id": f"c-{self.n:03d}",
            "at": at.isoformat(timespec="seconds"),
            "reporter": {"telegram_id": who.telegram_id, "username": who.username, "language_code": who.lang,
                         "phone_verified": who.verified},
            "channel": channel,
            "category": category,
            "location": location,
            "address_text": address,
            "description": description,
            "photos": photos or [],
            "seconds_to_complete": seconds if seconds is not None else rng.randint(70, 420),
            "label": label,
            "pattern": kind,
        }
        self.events.append(ev)
        return ev

    def outcome(self, ev: dict, outcome: str, after_hours: float) -> None:
        at = datetime.fromisoformat(ev["at"]) + timedelta(hours=after_hours)
        self.events.append({"type": "outcome", "report_id": ev["id"], "at": at.isoformat(timespec="seconds"), "outcome": outcome})


def when(day: float | None = None) -> datetime:
    day = rng.uniform(0, DAYS - 1) if day is None else day
    t = START + timedelta(days=int(day), hours=rng.uniform(0, 15), minutes=rng.uniform(0, 59))
    return t.replace(microsecond=0)


def genuine_location(kind: str | None = None) -> dict:
    kind = kind or rng.choices(["pin", "gps", "live", "venue"], [4, 4, 2, 1])[0]
    acc = {"gps": rng.uniform(5, 60), "live": rng.uniform(4, 40)}.get(kind)
    if kind == "gps" and rng.random() < 0.06:
        acc = rng.uniform(1200, 2500)  # an indoor fix far off: honest, imprecise
    return {"source": "pin" if kind == "venue" else kind, "accuracy": round(acc, 1) if acc else None}


def maybe_photos(c: Corpus, p: float = 0.5) -> list[dict]:
    if rng.random() > p:
        return []
    return [c.photos.new() for _ in range(rng.choice([1, 1, 1, 2, 3]))]


# --- genuine patterns ---


def genuine_ordinary(c: Corpus, n: int) -> None:
    for _ in range(n):
        who = c.reporter()
        at = when()
        cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
        text = c.fresh_text(lambda: story(new_facts(who.lang, cat)), at)
        loc = genuine_location()
        ev = c.report("genuine", "ordinary", at, who, cat, text, point=random_point(), source=loc["source"],
                      accuracy=loc["accuracy"], photos=maybe_photos(c))
        if rng.random() < 0.6:
            c.outcome(ev, "confirmed", rng.uniform(2, 30))


def genuine_short(c: Corpus, n: int) -> None:
    for _ in range(n):
        who = c.reporter()
        at = when()
        text = c.fresh_text(lambda: short_story(new_facts(who.lang, "illegal_work")), at)
        ev = c.report("genuine", "short_concrete", at, who, rng.choice(["illegal_work", "overstay"]), text,
                      point=random_point(), source=rng.choice(["pin", "gps"]), accuracy=round(rng.uniform(5, 40), 1),
                      seconds=rng.randint(35, 120))
        if rng.random() < 0.5:
            c.outcome(ev, "confirmed", rng.uniform(2, 30))


def genuine_first_timers(c: Corpus, n: int) -> None:
    """No phone, a hand-placed pin, no photo: the most common honest first report."""
    for _ in range(n):
        who = c.reporter(verified=False)
        at = when()
        cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
        text = c.fresh_text(lambda: story(new_facts(who.lang, cat)), at)
        ev = c.report("genuine", "first_timer", at, who, cat, text, point=random_point(), source="pin")
        if rng.random() < 0.5:
            c.outcome(ev, "confirmed", rng.uniform(2, 30))


def genuine_walk_ins(c: Corpus, n: int) -> None:
    officer_desk = Reporter(499001, "desk_officer", "id", False)
    for _ in range(n):
        at = when()
        f = new_facts("id", rng.choices(CATEGORIES, CAT_WEIGHTS)[0])
        text = c.fresh_text(lambda: "Pelapor datang langsung ke kantor. " + story(f), at)
        address = f"Jl. {f.street} No. {f.no}, RT {f.rt:02d}, {pick(['Karawaci', 'Cipondoh', 'Ciledug', 'Batuceper', 'Cibodas'])}"
        point = random_point() if rng.random() < 0.3 else None
        ev = c.report("genuine", "walk_in", at, officer_desk, f.category, text, point=point,
                      address=None if point else address, channel="walk_in", seconds=rng.randint(200, 900))
        if rng.random() < 0.7:
            c.outcome(ev, "confirmed", rng.uniform(2, 48))


def genuine_witnesses(c: Corpus, n_incidents: int) -> None:
    """Several people saw the same thing: own words, own photos, own fixes, minutes to hours apart."""
    for i in range(n_incidents):
        at = when()
        place = random_point()
        cat = rng.choice(["illegal_work", "public_order", "suspicious", "overstay"])
        base = new_facts("id", cat)
        size = rng.choice([2, 2, 3, 3, 3]) if i % 4 else 4
        for w in range(size):
            # Big incidents draw in people already known to the office (a verified phone).
            who = c.reporter(verified=True if size == 4 and w % 2 else None)
            f = Facts(**{**base.__dict__, "lang": who.lang})
            f.count = max(1, base.count + rng.choice([-1, 0, 0, 1]))
            text = c.fresh_text(lambda: story(f), at, limit=80)
            loc = genuine_location(rng.choice(["gps", "live", "pin", "gps"]))
            ev = c.report("genuine", "witness", at + timedelta(minutes=w * rng.randint(5, 70)), who, cat, text,
                          point=jitter(place, 60), source=loc["source"], accuracy=loc["accuracy"],
                          photos=maybe_photos(c, 0.6))
            if w == 0 and rng.random() < 0.3:
                c.outcome(ev, "confirmed", rng.uniform(8, 20))


def genuine_returning(c: Corpus, n_reporters: int) -> None:
    """Trusted regulars: several reports over the fortnight, mostly confirmed; one forwards a photo a
    neighbour took, one types an address, one follows up on a site officers confirmed before."""
    for _ in range(n_reporters):
        who = c.reporter(verified=rng.random() < 0.5)
        home = random_point()
        confirmed: list[tuple[float, float]] = []
        days = sorted(rng.sample(range(DAYS - 1), 3))
        for day in days:
            at = when(day)
            cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
            text = c.fresh_text(lambda: story(new_facts(who.lang, cat)), at)
            twist = rng.random()
            photos, point, address, source = maybe_photos(c, 0.4), jitter(home, 2000), None, "pin"
            kind = "returning"
            if twist < 0.2:
                photos, kind = [c.photos.new(forwarded=True)], "forwarded_photo_honest"
            elif twist < 0.35:
                point, address, kind = None, f"Jl. {pick(STREETS)} No. {rng.randint(1, 200)}, {pick(['Karawaci', 'Pinang', 'Larangan'])}", "typed_address_honest"
            elif twist < 0.6 and confirmed:
                point, kind = jitter(rng.choice(confirmed), 20), "follow_up"
            ev = c.report("genuine", kind, at, who, cat, text, point=point, source=source, address=address, photos=photos)
            if rng.random() < 0.8:
                c.outcome(ev, "confirmed", rng.uniform(2, 20))
                if point is not None:
                    confirmed.append(point)


def genuine_honest_mistake(c: Corpus, n: int) -> None:
    """A reporter once wrong (false report), then right: reputation dips but does not condemn."""
    for _ in range(n):
        who = c.reporter()
        at = when(rng.uniform(0, 5))
        cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
        ev = c.report("genuine", "honest_mistake", at, who, cat, c.fresh_text(lambda: story(new_facts(who.lang, cat)), at),
                      point=random_point())
        c.outcome(ev, "false_report", rng.uniform(3, 20))
        at2 = when(rng.uniform(7, DAYS - 1))
        c.report("genuine", "honest_mistake", at2, who, cat, c.fresh_text(lambda: story(new_facts(who.lang, cat)), at2),
                 point=random_point(), photos=maybe_photos(c, 0.7))


def genuine_doubtful(c: Corpus) -> None:
    """Honest reports that still look doubtful: screening should hold them for a human (never
    refuse them). They are the corpus's expected false alarms."""
    # Vague, from someone who did see something.
    for text in ("Ada WNA mencurigakan di lingkungan kami, mohon dicek",
                 "Please check the foreigners near my place, something is wrong"):
        c.report("genuine", "doubtful_vague", when(), c.reporter(), "suspicious", text, point=random_point())
    # A long story written beforehand in a notes app and pasted: 25 seconds for 300 characters.
    for _ in range(2):
        who = c.reporter()
        f = new_facts(who.lang, "illegal_work")
        text = c.fresh_text(lambda: story(f) + " " + (_time_id(f) if who.lang == "id" else _time_en(f)), START)
        c.report("genuine", "doubtful_pasted", when(), who, "illegal_work", text, point=random_point(),
                 seconds=rng.randint(22, 30))
    # A photo a neighbour took and a typed address: nothing of the reporter's own.
    for _ in range(2):
        who = c.reporter(verified=False)
        at = when()
        c.report("genuine", "doubtful_secondhand", at, who, "overstay",
                 c.fresh_text(lambda: story(new_facts(who.lang, "overstay")), at), point=None,
                 address=f"Jl. {pick(STREETS)} No. {rng.randint(1, 200)}", photos=[c.photos.new(forwarded=True)])
    # Three first-time neighbours, each dropping a pin by hand, no photos: looks like a burst.
    at, place = when(), random_point()
    base = new_facts("id", "public_order")
    for k in range(3):
        who = c.reporter(verified=False)
        f = Facts(**{**base.__dict__, "lang": who.lang})
        c.report("genuine", "doubtful_pins", at + timedelta(minutes=25 * k), who, "public_order",
                 c.fresh_text(lambda: story(f), at, limit=80), point=jitter(place, 50))


# --- fake patterns ---


def fake_floods(c: Corpus, n_accounts: int) -> None:
    for _ in range(n_accounts):
        who = c.reporter(verified=False)
        at = when()
        f = new_facts(who.lang, "illegal_work")
        text = story(f)
        point = random_point()
        for k in range(rng.randint(6, 9)):
            variant = text if rng.random() < 0.5 else text + pick([" Tolong!", " Segera!", " Please!", "!!", " cepat"])
            c.report("fake", "flood", at + timedelta(minutes=k * rng.randint(3, 8)), who, "illegal_work", variant,
                     point=jitter(point, 300), seconds=rng.randint(20, 60))


def fake_copy_campaigns(c: Corpus, n: int, victims: list[dict]) -> None:
    """One story pasted by several accounts (exact, or lightly edited), often copying a real report."""
    for _ in range(n):
        source = rng.choice(victims) if victims and rng.random() < 0.5 else None
        at = when()
        lang = "id" if rng.random() < 0.7 else "en"
        if source is None:
            origin = c.reporter(lang, verified=False)
            text = story(new_facts(lang, "illegal_work"))
            c.report("fake", "copy_origin", at, origin, "illegal_work", text, point=random_point(),
                     photos=[c.photos.new(forwarded=True)], seconds=rng.randint(20, 60))
        else:
            text = source["description"]
            at = datetime.fromisoformat(source["at"]) + timedelta(hours=rng.uniform(1, 40))
        point = random_point()
        for k in range(rng.randint(2, 4)):
            who = c.reporter(lang, verified=False)
            if rng.random() < 0.5:
                desc = text
            else:
                words = text.split()
                i = rng.randrange(len(words))
                words[i] = pick(["tolong", "segera", "please", "cepat", words[i].upper()])
                desc = " ".join(words) + pick(["", " Mohon ditindak.", " Please act."])
            c.report("fake", "copy_paste", at + timedelta(minutes=20 * (k + 1) + rng.randint(0, 60)), who,
                     "illegal_work", desc, point=jitter(point, 400))


def fake_recycled_photos(c: Corpus, n: int, pool: list[dict]) -> None:
    """A photo from an earlier report (anyone's), resent as is or re-saved, under a new story."""
    for _ in range(n):
        donor = rng.choice(pool)
        photo = rng.choice(donor["photos"])
        at = datetime.fromisoformat(donor["at"]) + timedelta(hours=rng.uniform(3, 120))
        who = c.reporter(verified=rng.random() < 0.2)
        cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
        p = c.photos.reuse(photo) if rng.random() < 0.5 else c.photos.reencode(photo)
        c.report("fake", "recycled_photo", at, who, cat, story(new_facts(who.lang, cat)), point=random_point(), photos=[p])


def fake_vague(c: Corpus, n: int) -> None:
    for _ in range(n):
        who = c.reporter(verified=rng.random() < 0.15)
        loc = genuine_location()
        c.report("fake", "vague", when(), who, rng.choice(["suspicious", "other", "illegal_work"]), vague_text(),
                 point=random_point(), source=loc["source"], accuracy=loc["accuracy"], photos=maybe_photos(c, 0.2),
                 seconds=rng.randint(30, 200))


def fake_gibberish(c: Corpus, n: int) -> None:
    for _ in range(n):
        c.report("fake", "gibberish", when(), c.reporter(verified=False), rng.choice(CATEGORIES), gibberish_text(),
                 point=random_point(), seconds=rng.randint(15, 90))


def fake_slurs(c: Corpus, n: int) -> None:
    for _ in range(n):
        who = c.reporter()
        c.report("fake", "slur", when(), who, rng.choice(["illegal_work", "public_order", "overstay"]),
                 slur_text(new_facts(who.lang, "illegal_work")), point=random_point(), photos=maybe_photos(c, 0.3))


def fake_grudges(c: Corpus, n: int) -> None:
    """One reporter, one neighbour's house, reported again and again over days."""
    for _ in range(n):
        who = c.reporter()
        house = random_point()
        nat = rng.randrange(len(NATS_ID))
        street, no = pick(STREETS), rng.randint(1, 150)
        days = sorted(rng.sample(range(DAYS - 1), rng.randint(3, 5)))
        templates = list(GRUDGE_ID if who.lang == "id" else GRUDGE_EN)
        rng.shuffle(templates)
        nats = NATS_ID if who.lang == "id" else NATS_EN
        for k, day in enumerate(days):
            text = templates[k % len(templates)].format(nat=nats[nat], street=street, no=no)
            ev = c.report("fake", "grudge", when(day), who, rng.choice(["illegal_work", "overstay", "public_order"]), text,
                          point=jitter(house, 15), source=rng.choice(["pin", "gps"]), accuracy=round(rng.uniform(5, 30), 1))
            if k == 0:
                c.outcome(ev, "false_report", rng.uniform(4, 20))


def fake_too_fast(c: Corpus, n: int) -> None:
    for _ in range(n):
        who = c.reporter(verified=False)
        cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
        c.report("fake", "too_fast", when(), who, cat, story(new_facts(who.lang, cat)), point=random_point(),
                 seconds=rng.randint(3, 15))


def fake_bursts(c: Corpus, n: int) -> None:
    """Brand-new accounts about one address within hours, one hand behind them: the same pin, no
    photo of their own, stories rephrased."""
    for _ in range(n):
        at = when()
        place = random_point()
        pin = place
        cat = rng.choice(["illegal_work", "overstay", "document_misuse"])
        base = new_facts("id", cat)
        for k in range(rng.randint(5, 7)):
            who = c.reporter(verified=False)
            f = Facts(**{**base.__dict__, "lang": who.lang})
            point = pin if rng.random() < 0.7 else jitter(place, 40)
            photos = [c.photos.new(forwarded=True)] if rng.random() < 0.4 else []
            c.report("fake", "burst", at + timedelta(minutes=k * rng.randint(10, 40)), who, cat, story(f), point=point,
                     photos=photos, seconds=rng.randint(40, 150))


def fake_forwarded(c: Corpus, n: int) -> None:
    """Someone else's location and a picture from the internet."""
    for _ in range(n):
        who = c.reporter(verified=False)
        cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
        c.report("fake", "forwarded", when(), who, cat, story(new_facts(who.lang, cat)), point=random_point(),
                 source="forwarded", photos=[c.photos.new(forwarded=True)])


def main(base: Path = HERE) -> Path:
    """Write the corpus into `base` (screening_cases.jsonl and photos/); the same bytes every time."""
    global rng
    rng = random.Random(SEED)
    photos = base / PHOTOS.name
    if photos.exists():
        shutil.rmtree(photos)
    photos.mkdir(parents=True)
    c = Corpus(base)
    genuine_ordinary(c, 150)
    genuine_short(c, 30)
    genuine_first_timers(c, 40)
    genuine_walk_ins(c, 25)
    genuine_witnesses(c, 16)
    genuine_returning(c, 12)
    genuine_honest_mistake(c, 6)
    genuine_doubtful(c)
    genuine = [e for e in c.events if e["type"] == "report"]
    with_photos = [e for e in genuine if e["photos"]]
    fake_floods(c, 4)
    fake_copy_campaigns(c, 8, [e for e in genuine if len(e["description"]) > 60])
    fake_recycled_photos(c, 24, with_photos)
    fake_vague(c, 22)
    fake_gibberish(c, 10)
    fake_slurs(c, 12)
    fake_grudges(c, 6)
    fake_too_fast(c, 14)
    fake_bursts(c, 3)
    fake_forwarded(c, 10)
    c.events.sort(key=lambda e: (datetime.fromisoformat(e["at"]), e["type"] == "outcome"))
    out = base / OUT.name
    with out.open("w", encoding="utf-8") as f:
        for ev in c.events:
            f.write(json.dumps(ev, ensure_ascii=False) + "\n")
    reports = [e for e in c.events if e["type"] == "report"]
    fakes = sum(e["label"] == "fake" for e in reports)
    print(f"{OUT.name}: {len(reports)} reports ({len(reports) - fakes} genuine, {fakes} fake), "
          f"{len(c.events) - len(reports)} outcomes, {c.photos.n} photos")
    return out


if __name__ == "__main__":
    main()
