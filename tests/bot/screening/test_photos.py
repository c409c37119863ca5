import io

from PIL import Image, ImageDraw

from bot.screening.photos import hamming, phash_hex, same_picture


def _picture(seed: int, size=(96, 72)) -> Image.Image:
    img = Image.new("RGB", size, (seed * 37 % 255, 90, 200))
    draw = ImageDraw.Draw(img)
    for i in range(5):
        x, y = (seed * 13 + i * 17) % 80, (seed * 7 + i * 11) % 60
        draw.rectangle([x, y, x + 20, y + 12], fill=((i * 50) % 255, seed % 255, 40))
    return img


def _jpeg(img: Image.Image, quality: int = 70) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def test_phash_is_sixteen_hex_digits():
    h = phash_hex(_jpeg(_picture(1)))
    assert h is not None and len(h) == 16
    int(h, 16)


def test_reencoded_and_resized_copy_is_the_same_picture():
    original = _picture(3)
    copy = original.resize((120, 90))
    a, b = phash_hex(_jpeg(original, 80)), phash_hex(_jpeg(copy, 35))
    assert hamming(a, b) <= 6
    assert same_picture(a, b, max_distance=6)


def test_different_pictures_are_far_apart():
    a, b = phash_hex(_jpeg(_picture(3))), phash_hex(_jpeg(_picture(11)))
    assert hamming(a, b) > 10
    assert not same_picture(a, b, max_distance=6)


def test_not_an_image_has_no_hash():
    assert phash_hex(b"%PDF-1.4 not a picture") is None


def test_missing_hash_is_never_the_same_picture():
    assert not same_picture(None, "ffffffffffffffff", max_distance=64)


def test_hamming_counts_bits():
    assert hamming("0000000000000000", "000000000000000f") == 4
