"""The compact passage reader: numbers in digits and words, qualifiers, units, dates."""

from datetime import date

from analysis.corroboration import read_dates, read_quantities


def one(text, **kw):
    ms = [m for m in read_quantities(text, **kw) if not m.parts]
    assert len(ms) == 1, ms
    return ms[0]


def test_about_three_weeks_is_a_duration_in_days_with_a_band():
    m = one("troops had not been seen for about three weeks")
    assert (m.kind, m.value, m.qualifier) == ("duration", 21, "about")
    assert m.low < 21 < m.high and m.low > 14


def test_some_2700_wounded_and_a_casualty_total():
    ms = read_quantities("about 300 killed and some 2,700 wounded")
    total = next(m for m in ms if m.parts)
    assert (total.family, total.value) == ("casualties", 3000)
    assert {m.family for m in ms if not m.parts} == {"killed", "wounded"}


def test_words_digits_scales_and_percentages():
    assert one("eleven thousand soldiers").value == 11000
    assert one("around 3 million shells").value == 3_000_000
    m = one("over 50% of the ammunition")
    assert (m.kind, m.value, m.qualifier, m.family) == ("percent", 50, "over", "munitions")
    assert one("50 percent of troops").family == "personnel"
    half = one("about half of the artillery shells")
    assert (half.kind, half.value, half.unit) == ("percent", 50, "artillery shells")


def test_cut_in_half_is_a_reduction():
    m = one("their numbers have been cut in half")
    assert m.reduction and m.value == 50 and m.text == "cut in half"


def test_scoped_share_is_marked():
    ms = read_quantities("over 50%\u2014and in some areas more than 70%\u2014of Russia's shells")
    assert [m.scoped for m in ms] == [False, True]
    assert all(m.family == "munitions" for m in ms)


def test_years_and_bare_number_words_are_not_counts():
    assert read_quantities("In 2024 one of them left.") == []


def test_dates_resolve_against_publication():
    (m,) = read_dates("arrived last November", date(2025, 1, 31))
    assert date.fromordinal(int(m.low)) == date(2024, 11, 1)
    (m,) = read_dates("entered the war in October", date(2025, 1, 31))
    assert date.fromordinal(int(m.low)).year == 2024
    (m,) = read_dates("no fighting since mid-January", date(2025, 2, 4))
    assert date.fromordinal(int(m.low)) == date(2025, 1, 10)
    assert read_dates("the pull-back may be temporary", date(2025, 2, 4)) == []
