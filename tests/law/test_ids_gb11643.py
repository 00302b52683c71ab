import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hrguard.law import ids


def make(body17: str) -> str:
    return body17 + ids.check_character(body17)


def test_known_valid_number_with_x_check_digit() -> None:
    # Widely published GB 11643 example: 11010519491231002X.
    assert ids.validate(ids.RESIDENT, "11010519491231002X") is None
    assert ids.validate(ids.RESIDENT, "11010519491231002x") is None  # lower-case x normalised
    assert ids.validate(ids.RESIDENT, "１１０１０５１９４９１２３１００２Ｘ") is None  # full-width


def test_wrong_check_digit_names_the_expected_one() -> None:
    problem = ids.validate(ids.RESIDENT, "110105194912310021")
    assert problem is not None and "校验位" in problem and "X" in problem


def test_length_birth_date_and_characters() -> None:
    assert "18" in ids.validate(ids.RESIDENT, "1101051949123100")
    assert ids.validate(ids.RESIDENT, make("11010519490230002")) is not None  # 30 February
    future = make("11010520991231002")
    assert ids.validate(ids.RESIDENT, future, today=dt.date(2026, 1, 1)) is not None
    assert ids.validate(ids.RESIDENT, "11010519491231A02X") is not None
    assert ids.validate(ids.RESIDENT, "") is not None


def test_residence_permits_and_other_documents() -> None:
    assert ids.validate(ids.HK_MACAU_RESIDENCE, make("81000019900101001")) is None
    assert ids.validate(ids.HK_MACAU_RESIDENCE, make("11010519900101001")) is not None
    assert ids.validate(ids.TAIWAN_RESIDENCE, make("83000019900101001")) is None
    assert ids.validate(ids.FOREIGN_PERMANENT, make("93615619900101001")) is None
    assert ids.validate(ids.FOREIGN_PERMANENT, "USA123456789012") is None
    assert ids.validate(ids.PASSPORT, "E12345678") is None
    assert ids.validate(ids.PASSPORT, "<script>") is not None
    assert ids.validate("martian", "123") is not None


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["110105", "310104", "440305"]),
)
def test_round_trip_and_single_digit_errors_are_caught(birth: dt.date, seq: int, region: str) -> None:
    number = make(f"{region}{birth:%Y%m%d}{seq:03d}")
    assert ids.validate(ids.RESIDENT, number) is None
    assert ids.birth_date_of(number) == birth
    # MOD 11-2 detects every single-digit substitution in the sequence part.
    for pos in (14, 15, 16):
        digit = number[pos]
        changed = number[:pos] + str((int(digit) + 1) % 10) + number[pos + 1 :]
        assert ids.validate(ids.RESIDENT, changed) is not None
