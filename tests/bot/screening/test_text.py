from bot.screening import text


def test_normalize_folds_case_accents_and_punctuation():
    assert text.normalize("  Jl. MELATI No.5,  café!! ") == "jl melati no 5 cafe"


def test_concrete_short_report_names_who_what_where():
    found = text.concreteness("3 WNA kerja di pabrik Jl. Melati 5")
    assert {"who", "what", "where", "number"} <= set(found.facets)


def test_vague_report_names_only_who():
    found = text.concreteness("Ada orang asing mencurigakan di sini, tolong dicek")
    assert found.facets == ("who",)


def test_english_concreteness():
    found = text.concreteness("Two Korean men work at the shoe factory on Jl. Sudirman every night")
    assert set(found.facets) == {"who", "what", "where", "when", "number"}


def test_gibberish_keyboard_mash_is_flagged():
    assert text.gibberish_ratio("asdfgh qwerty zxcvbn hjklmn") >= 0.9


def test_repetition_is_flagged():
    assert text.gibberish_ratio("test test test test test test test") >= 0.8


def test_indonesian_prose_with_abbreviations_is_not_gibberish():
    sample = "Tiga WNA kerja di pabrik Jl. Melati, skrg masih ada, plat B 1234 KJT, RT 03/RW 05"
    assert text.gibberish_ratio(sample) < 0.4


def test_short_text_is_not_judged():
    assert text.gibberish_ratio("ok") == 0.0


def test_slur_word_is_found():
    assert text.slur_terms("Aseng-aseng itu kerja ilegal") == ["aseng"]


def test_insult_next_to_a_nationality_is_found():
    assert text.slur_terms("dasar cina babi, usir saja") == ["babi"]
    assert text.slur_terms("those filthy Indians again") == ["filthy"]
    assert text.slur_terms("Chinese pigs living at number 12") == ["pigs"]


def test_rubbish_near_a_nationality_is_not_an_insult():
    assert text.slur_terms("Dua orang Filipina membuang sampah sembarangan") == []


def test_similar_finds_edited_copy_and_marks_exact():
    base = text.normalize("Tiga WNA asal Korea bekerja sebagai tukang las di bengkel Jl. Kenanga No. 12 tiap hari")
    edited = text.normalize("Tiga WNA asal Korea bekerja sebagai tukang las di bengkel Jl. Kenanga No. 12 tiap hari tolong")
    unrelated = text.normalize("Seorang pria India tinggal di kontrakan Gang Delima sudah 9 bulan, visanya habis")
    matches = text.similar(base, [edited, unrelated, base], cutoff=88, min_chars=25)
    assert {(m.index, m.exact) for m in matches} == {(0, False), (2, True)}


def test_similar_ignores_short_texts():
    short = text.normalize("WNA kerja ilegal")
    assert text.similar(short, [short], cutoff=88, min_chars=25) == []


def test_reordered_sentences_still_match():
    a = text.normalize("Mereka kerja tiap malam. Tiga WNA Korea di bengkel Jl. Kenanga No. 12.")
    b = text.normalize("Tiga WNA Korea di bengkel Jl. Kenanga No. 12. Mereka kerja tiap malam.")
    assert text.similarity(a, b) >= 95
